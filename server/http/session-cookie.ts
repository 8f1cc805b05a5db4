/** Whether the browser reached us over HTTPS (directly or through a proxy): the cookie is then Secure. */
export function isSecureRequest(request: Request): boolean {
  return new URL(request.url).protocol === 'https:' || request.headers.get('x-forwarded-proto') === 'https';
}
