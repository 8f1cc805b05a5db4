import type { Metadata } from 'next';
import { UsersSection } from '@/components/admin/console/UsersSection';

export const metadata: Metadata = { title: 'Users · Admin · GeoFleet' };

export default function AdminUsers() {
  return <UsersSection />;
}
