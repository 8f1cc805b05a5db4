/**
 * Whether a click on a link leaves the page (and so should ask first when there is unsaved work):
 * a plain left click on a link to another path of this site, in this tab. New tabs, downloads,
 * other sites (the browser's own prompt covers those) and links within the page do not.
 */
export function leavesPage(
  link: { href: string; target: string; hasDownload: boolean },
  current: string,
  click: { button: number; ctrlKey: boolean; metaKey: boolean; shiftKey: boolean; altKey: boolean },
): boolean {
  if (click.button !== 0 || click.ctrlKey || click.metaKey || click.shiftKey || click.altKey) return false;
  if (link.hasDownload || (link.target && link.target !== '_self')) return false;
  let to: URL;
  let from: URL;
  try {
    from = new URL(current);
    to = new URL(link.href, from);
  } catch {
    return false;
  }
  if (to.origin !== from.origin) return false;
  return to.pathname !== from.pathname || to.search !== from.search;
}

export const LEAVE_MESSAGE = 'You have unsaved changes. Leave this page and lose them?';
