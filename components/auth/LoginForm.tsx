'use client';

import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useEffect, useState, type FormEvent } from 'react';
import { getSession, homeFor, setSession } from '@/components/session';
import { DEMO_LOGINS } from './demo-logins';
import { requestLogin } from './login-request';

const inputClass =
  'mt-1 block w-full rounded-lg border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm outline-none transition focus:border-emerald-500 focus:ring-2 focus:ring-emerald-500/30';

export function LoginForm() {
  const router = useRouter();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  // Where to go afterwards (?next=/admin/users) and whether the last session ended on its own.
  const [arrival, setArrival] = useState<{ next: string | null; ended: boolean }>({ next: null, ended: false });
  useEffect(() => {
    const params = new URLSearchParams(window.location.search);
    const next = params.get('next');
    // Already signed in: /login is not for you, your home page is.
    const current = getSession();
    if (current) {
      router.replace(homeFor(current, next));
      return;
    }
    setArrival({ next, ended: params.get('ended') === '1' });
  }, [router]);
  const login = useMutation({
    mutationFn: () => requestLogin(email, password),
    onSuccess: (session) => {
      setSession(session);
      const target = homeFor(session, arrival.next);
      // Drivers get a full page load: only a document created at /driver is controlled by the
      // driver page's service worker (offline shell).
      if (target.startsWith('/driver')) window.location.replace(target);
      else router.replace(target);
    },
  });
  const busy = login.isPending || login.isSuccess;

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    login.mutate();
  }

  return (
    <div className="w-full max-w-sm rounded-2xl bg-white p-8 shadow-2xl">
      <div className="mb-6 flex items-center gap-3">
        <span className="flex h-9 w-9 items-center justify-center rounded-xl bg-slate-900">
          <span className="h-4 w-4 rounded-full border-4 border-emerald-500 bg-white" />
        </span>
        <div>
          <h1 className="text-xl font-semibold tracking-tight">GeoFleet</h1>
          <p className="text-sm text-slate-500">Sign in to track your fleet live</p>
        </div>
      </div>

      {arrival.ended && !login.isSuccess && (
        <p role="status" data-testid="session-ended" className="mb-4 rounded-lg bg-amber-50 px-3 py-2 text-sm text-amber-800">
          Your session ended. Sign in again to continue{arrival.next ? ' where you left off' : ''}.
        </p>
      )}

      <form onSubmit={submit} className="space-y-4" noValidate>
        <label className="block text-sm font-medium text-slate-700">
          Email
          <input
            className={inputClass}
            type="email"
            name="email"
            autoComplete="username"
            required
            value={email}
            onChange={(event) => setEmail(event.target.value)}
          />
        </label>
        <label className="block text-sm font-medium text-slate-700">
          Password
          <input
            className={inputClass}
            type="password"
            name="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(event) => setPassword(event.target.value)}
          />
        </label>

        {login.isError && (
          <p role="alert" className="rounded-lg bg-red-50 px-3 py-2 text-sm text-red-700">
            {login.error.message}
          </p>
        )}

        <button
          type="submit"
          disabled={busy}
          className="w-full rounded-lg bg-emerald-600 px-4 py-2 text-sm font-semibold text-white shadow transition hover:bg-emerald-500 disabled:cursor-wait disabled:opacity-70"
        >
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>

      <div className="mt-6 border-t border-slate-200 pt-4">
        <p className="mb-2 text-xs font-medium uppercase tracking-wide text-slate-500">Demo accounts</p>
        <div className="grid grid-cols-2 gap-2">
          {DEMO_LOGINS.map((demo) => (
            <button
              key={demo.email}
              type="button"
              title={demo.email}
              aria-label={`Fill in demo ${demo.role}`}
              onClick={() => {
                setEmail(demo.email);
                setPassword(demo.password);
                login.reset();
              }}
              className="rounded-lg border border-slate-200 px-3 py-1.5 text-sm capitalize text-slate-700 transition hover:border-emerald-400 hover:bg-emerald-50"
            >
              {demo.role}
            </button>
          ))}
        </div>
      </div>
    </div>
  );
}
