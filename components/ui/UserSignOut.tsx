/** The signed-in user's name and role, and Sign out: the right end of every top bar. */
export function UserSignOut({ name, role, onSignOut }: { name: string; role: string; onSignOut: () => void }) {
  return (
    <>
      {/* Below 1536 px the role alone (the name on hover) leaves the page links room. */}
      <span className="hidden sm:inline" title={name}>
        <span className="hidden 2xl:inline">{name} </span>
        <span className="rounded bg-slate-700 px-1.5 py-0.5 text-xs capitalize">{role}</span>
      </span>
      <button
        type="button"
        onClick={onSignOut}
        className="rounded-md border border-slate-600 px-2.5 py-1 text-xs font-medium hover:border-slate-400 hover:text-white"
      >
        Sign out
      </button>
    </>
  );
}
