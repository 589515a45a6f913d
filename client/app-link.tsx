import type { ReactNode } from 'react';
import { navigate } from './router.js';

/** A link to a page of the app: a real link (open in a new tab works), followed without reloading the app. */
export function AppLink({ href, className, children }: { href: string; className?: string; children: ReactNode }) {
  return (
    <a
      className={className}
      href={href}
      onClick={(event) => {
        if (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
        event.preventDefault();
        navigate(href);
      }}
    >
      {children}
    </a>
  );
}
