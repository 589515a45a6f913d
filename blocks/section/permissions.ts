/** Who may write what: the one rule the browser shows and the server's guard enforces. */

export type Role = 'lead' | 'editor' | 'viewer';

/** What the database says about a section, as far as writing in it goes. */
export interface SectionAccess {
  departmentId: string | null;
  locked: boolean;
}

export interface Writer {
  role: Role;
  departmentId: string;
}

export type EditRefusal = 'read-only' | 'locked' | 'not-yours';

/**
 * Why `writer` may not edit the content of a section, or null if they may. A locked section is
 * final for everyone until the lead office unlocks it; otherwise the lead office writes anywhere
 * and a department only in the sections assigned to it.
 */
export function sectionEditRefusal(writer: Writer, access: SectionAccess | undefined): EditRefusal | null {
  if (writer.role === 'viewer') return 'read-only';
  if (access?.locked) return 'locked';
  if (writer.role === 'lead') return null;
  return access?.departmentId === writer.departmentId ? null : 'not-yours';
}

/**
 * Whether `writer` may hand a section in for review: its own department's section (a viewer
 * writes nothing, so has nothing to submit), or any section for the lead office.
 */
export function maySubmit(writer: Writer, access: SectionAccess | undefined): boolean {
  if (writer.role === 'viewer') return false;
  return writer.role === 'lead' || access?.departmentId === writer.departmentId;
}

/** Running the report — adding, removing, re-attributing sections, placing annex tables, assigning, locking, publishing: the lead office's alone. */
export function mayChangeStructure(writer: Writer): boolean {
  return writer.role === 'lead';
}

/** Commenting and answering comments: everyone who takes part in writing (a viewer only reads). */
export function mayComment(writer: Writer): boolean {
  return writer.role !== 'viewer';
}

/** Marking a comment thread resolved: the lead office, the thread's author, or the section's department. */
export function mayResolveThread(writer: Writer, thread: { byWriter: boolean; access: SectionAccess | undefined }): boolean {
  if (writer.role === 'lead' || thread.byWriter) return true;
  return writer.role === 'editor' && thread.access?.departmentId === writer.departmentId;
}

/**
 * Suggesting changes (修订): everyone who takes part in writing, in any section not locked — a
 * reviewer in sections not theirs, a writer in their own by choice. A suggestion changes nothing
 * until the section's department or the lead office accepts it.
 */
export function maySuggest(writer: Writer, access: SectionAccess | undefined): boolean {
  return writer.role !== 'viewer' && !access?.locked;
}

/** Accepting or rejecting suggestions in a section: whoever may write it — its department, or the lead office. */
export function mayDecideSuggestions(writer: Writer, access: SectionAccess | undefined): boolean {
  return sectionEditRefusal(writer, access) === null;
}
