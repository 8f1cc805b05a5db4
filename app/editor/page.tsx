import { redirect } from 'next/navigation';

/** The editors' entry point (linked from the live map). */
export default function EditorPage() {
  redirect('/editor/zones');
}
