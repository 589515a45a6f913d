import { useId, useLayoutEffect, useRef, type ReactNode } from 'react';
import { useI18n } from '../i18n.js';

interface ModalDialogProps {
  title: string;
  onClose(): void;
  /** False while something is under way that closing would hide, such as a publication being stored. */
  canClose?: boolean;
  className?: string;
  testId?: string;
  children: ReactNode;
}

/**
 * A modal dialog on the native <dialog>: showModal() makes the page behind it inert and keeps Tab
 * inside, which aria-modal alone only promises to assistive technology. Focus starts on the dialog
 * itself, so a screen reader begins at its title, and returns where it was when the dialog closes.
 */
export function ModalDialog({ title, onClose, canClose = true, className, testId, children }: ModalDialogProps) {
  const { t } = useI18n();
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const latest = useRef({ onClose, canClose });
  latest.current = { onClose, canClose };

  useLayoutEffect(() => {
    const dialog = ref.current!;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    let unmounting = false;
    const onCancel = (event: Event) => {
      event.preventDefault();
      if (latest.current.canClose) latest.current.onClose();
    };
    // The browser may close a dialog by itself (a repeated Escape without user activation); keep React's state in step.
    // A close event queued by an earlier mount's cleanup arrives after the dialog is open again: not ours.
    const onNativeClose = () => {
      if (!unmounting && !dialog.open) latest.current.onClose();
    };
    dialog.addEventListener('cancel', onCancel);
    dialog.addEventListener('close', onNativeClose);
    dialog.showModal();
    dialog.focus();
    return () => {
      unmounting = true;
      dialog.removeEventListener('cancel', onCancel);
      dialog.removeEventListener('close', onNativeClose);
      dialog.close();
      if (opener?.isConnected) opener.focus();
    };
  }, []);

  return (
    <dialog ref={ref} role="dialog" aria-modal="true" aria-labelledby={titleId} tabIndex={-1} className={`modal-dialog ${className ?? ''}`} data-testid={testId}>
      <header className="modal-dialog-header">
        <h2 id={titleId}>{title}</h2>
        <button type="button" className="modal-dialog-close" aria-label={t('close')} disabled={!canClose} onClick={onClose}>×</button>
      </header>
      <div className="modal-dialog-body">{children}</div>
    </dialog>
  );
}
