import { redirect } from 'next/navigation';

/** /admin opens the console's first section. */
export default function Admin() {
  redirect('/admin/vehicles');
}
