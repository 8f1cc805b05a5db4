'use client';

import { useState, type FormEvent } from 'react';
import { StateMessage } from '@/components/ui/StateMessage';
import { ROLES, type PublicUser, type Role } from '@/server/protocol/auth';
import { createUserRequest, password as passwordSchema } from '@/server/protocol/users';
import { AdminShell, ReadOnlyNote } from './AdminShell';
import { useAdminUsers, useCreateUser, useResetPassword, useUpdateUser } from './admin-api';
import { fieldErrors, serverFieldError, type FieldErrors } from '@/components/ui/form-errors';
import { BUTTON, DANGER, ErrorSummary, Field, INPUT, Panel, PRIMARY } from './ui';

export const ROLE_LABELS: Record<Role, string> = { admin: 'Admin', manager: 'Manager', driver: 'Driver', viewer: 'Viewer' };
const ROLE_HINTS: Record<Role, string> = {
  admin: 'everything, including users and settings',
  manager: 'the fleet, trips and alerts; edits vehicles',
  driver: 'the driver app: their own vehicle and trips',
  viewer: 'looks at the map, changes nothing',
};

/** /admin/users: create users, change roles, reset passwords, deactivate (admins; managers read). */
export function UsersSection() {
  return <AdminShell section="users">{(user) => <UsersScreen user={user} />}</AdminShell>;
}

function UsersScreen({ user }: { user: PublicUser }) {
  const users = useAdminUsers();
  const isAdmin = user.role === 'admin';
  const [query, setQuery] = useState('');
  const q = query.trim().toLowerCase();
  const shown = (users.data ?? []).filter((u) => !q || u.name.toLowerCase().includes(q) || u.email.includes(q) || u.role.includes(q));
  return (
    <div className={`grid gap-4 ${isAdmin ? 'lg:grid-cols-[1fr_360px]' : ''}`}>
      <Panel title={`Users${users.data ? ` · ${users.data.length}` : ''}`} testId="users-panel">
        <div className="space-y-2 px-4 py-3">
          <ReadOnlyNote user={user} what="the users" />
          <input aria-label="Search users" placeholder="Search name, email or role" className={`${INPUT} mt-0 max-w-xs border-slate-300`} value={query} onChange={(e) => setQuery(e.target.value)} />
        </div>
        {users.isPending ? (
          <StateMessage kind="loading" title="Loading users…" />
        ) : users.isError ? (
          <StateMessage kind="error" title="Could not load the users" detail={users.error.message} action={{ label: 'Retry', onClick: () => void users.refetch() }} />
        ) : shown.length === 0 ? (
          <StateMessage kind="empty" title="No user matches" />
        ) : (
          <ul className="divide-y divide-slate-100" data-testid="user-list">
            {shown.map((u) => (
              <UserRow key={u.id} target={u} me={user} />
            ))}
          </ul>
        )}
      </Panel>
      {isAdmin && (
        <aside className="h-fit rounded-xl bg-white shadow-sm ring-1 ring-slate-200">
          <CreateUserForm />
        </aside>
      )}
    </div>
  );
}

function UserRow({ target, me }: { target: PublicUser; me: PublicUser }) {
  const update = useUpdateUser();
  const reset = useResetPassword();
  const [resetting, setResetting] = useState(false);
  const [newPassword, setNewPassword] = useState('');
  const [confirmDeactivate, setConfirmDeactivate] = useState(false);
  const isAdmin = me.role === 'admin';
  const self = target.id === me.id;
  const active = target.active !== false;
  const resetError = newPassword && !passwordSchema.safeParse(newPassword).success ? 'Enter at least 8 characters.' : null;
  return (
    <li className={`px-4 py-3 ${active ? '' : 'bg-slate-50'}`} data-testid="user-row" data-user={target.email}>
      <div className="flex flex-wrap items-center gap-3">
        <div className="min-w-0 flex-1">
          <p className={`text-sm font-medium ${active ? 'text-slate-900' : 'text-slate-500 line-through'}`}>
            {target.name} {self && <span className="text-xs font-normal text-slate-500">(you)</span>}
          </p>
          <p className="text-xs text-slate-500">{target.email}</p>
        </div>
        {!active && <span className="rounded bg-slate-200 px-1.5 py-0.5 text-xs text-slate-700">Deactivated</span>}
        <select
          aria-label={`Role of ${target.name}`}
          className={`${INPUT} mt-0 w-auto border-slate-300`}
          value={target.role}
          disabled={!isAdmin || self || update.isPending}
          onChange={(e) => update.mutate({ id: target.id, patch: { role: e.target.value as Role } })}
          title={ROLE_HINTS[target.role]}
        >
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {ROLE_LABELS[r]}
            </option>
          ))}
        </select>
        {isAdmin && (
          <div className="flex gap-1">
            <button type="button" className={BUTTON} onClick={() => setResetting((v) => !v)} data-testid="reset-password">
              Reset password
            </button>
            {!self &&
              (active ? (
                confirmDeactivate ? (
                  <>
                    <button type="button" className={DANGER} disabled={update.isPending} onClick={() => update.mutate({ id: target.id, patch: { active: false } }, { onSettled: () => setConfirmDeactivate(false) })} data-testid="confirm-deactivate">
                      Sign out and deactivate
                    </button>
                    <button type="button" className={BUTTON} onClick={() => setConfirmDeactivate(false)}>
                      Keep
                    </button>
                  </>
                ) : (
                  <button type="button" className={DANGER} onClick={() => setConfirmDeactivate(true)} data-testid="deactivate-user">
                    Deactivate
                  </button>
                )
              ) : (
                <button type="button" className={BUTTON} disabled={update.isPending} onClick={() => update.mutate({ id: target.id, patch: { active: true } })} data-testid="reactivate-user">
                  Reactivate
                </button>
              ))}
          </div>
        )}
      </div>
      {confirmDeactivate && <p className="mt-1 text-xs text-red-700">{target.name} is signed out everywhere at once and cannot sign in until reactivated.</p>}
      {resetting && (
        <form
          className="mt-2 flex flex-wrap items-start gap-2"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            if (resetError || !newPassword) return;
            reset.mutate({ id: target.id, password: newPassword }, { onSuccess: () => setNewPassword('') });
          }}
        >
          <div>
            <input type="text" autoComplete="new-password" aria-label={`New password for ${target.name}`} placeholder="New password (8+ characters)" className={`${INPUT} mt-0 w-64 border-slate-300`} value={newPassword} onChange={(e) => setNewPassword(e.target.value)} />
            {resetError && <p className="mt-1 text-xs text-red-700">{resetError}</p>}
          </div>
          <button type="submit" className={BUTTON} disabled={reset.isPending || !newPassword}>
            {reset.isPending ? 'Saving…' : 'Set password'}
          </button>
          {reset.isSuccess && <span className="text-xs text-emerald-700">Password changed{self ? '' : `; ${target.name} was signed out everywhere`}.</span>}
        </form>
      )}
      {(update.isError || reset.isError) && <p className="mt-1 text-xs text-red-700" role="alert">{(update.error ?? reset.error)?.message}</p>}
    </li>
  );
}

const LABELS = { email: 'Email', name: 'Name', password: 'Password', role: 'Role' };

function CreateUserForm() {
  const create = useCreateUser();
  const [draft, setDraft] = useState({ email: '', name: '', password: '', role: 'driver' as Role });
  const [errors, setErrors] = useState<FieldErrors>({});
  const [created, setCreated] = useState<PublicUser | null>(null);
  const server = serverFieldError(create.error, Object.keys(LABELS));
  const shown = server?.field ? { ...errors, [server.field]: server.message } : errors;

  function submit(event: FormEvent) {
    event.preventDefault();
    const found = fieldErrors(createUserRequest, draft, LABELS);
    if (found.password) found.password = 'Enter a password of at least 8 characters.';
    if (found.email && draft.email) found.email = 'Enter an email address like name@example.com.';
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    create.mutate(draft, {
      onSuccess: (user) => {
        setCreated(user);
        setDraft({ email: '', name: '', password: '', role: draft.role });
      },
    });
  }

  return (
    <form onSubmit={submit} noValidate className="space-y-3 p-4" aria-label="New user" data-testid="user-form">
      <h3 className="text-sm font-semibold">New user</h3>
      {created && (
        <p role="status" className="rounded-md bg-emerald-50 px-3 py-2 text-xs text-emerald-800">
          {created.name} can now sign in as {ROLE_LABELS[created.role].toLowerCase()} with the password you chose.
        </p>
      )}
      <ErrorSummary errors={shown} general={server && !server.field ? server.message : null} />
      <Field label="Name" name="user-name" error={shown.name}>
        {(p) => <input {...p} value={draft.name} onChange={(e) => setDraft({ ...draft, name: e.target.value })} maxLength={100} />}
      </Field>
      <Field label="Email" name="user-email" error={shown.email}>
        {(p) => <input {...p} type="email" value={draft.email} onChange={(e) => setDraft({ ...draft, email: e.target.value })} maxLength={254} />}
      </Field>
      <Field label="Password" name="user-password" error={shown.password} hint="At least 8 characters; tell the user in person.">
        {(p) => <input {...p} type="text" autoComplete="new-password" value={draft.password} onChange={(e) => setDraft({ ...draft, password: e.target.value })} />}
      </Field>
      <Field label="Role" name="user-role" error={shown.role} hint={ROLE_HINTS[draft.role]}>
        {(p) => (
          <select {...p} value={draft.role} onChange={(e) => setDraft({ ...draft, role: e.target.value as Role })}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {ROLE_LABELS[r]}
              </option>
            ))}
          </select>
        )}
      </Field>
      <button type="submit" className={PRIMARY} disabled={create.isPending} data-testid="user-create">
        {create.isPending ? 'Creating…' : 'Create user'}
      </button>
    </form>
  );
}
