'use client';

/**
 * A form problem under its field. The input names it with `aria-describedby={id}` and
 * `aria-invalid`; `INVALID_INPUT` is the matching red outline.
 */
export function FieldProblem({ id, text, testId }: { id: string; text: string | undefined; testId: string }) {
  if (!text) return null;
  return (
    <p id={id} role="alert" className="mt-1 text-xs font-medium text-red-700" data-testid={testId}>
      {text}
    </p>
  );
}

export const INVALID_INPUT = 'border-red-500 ring-1 ring-red-500';
