import { hashPassword } from '../auth/password';
import type { Prisma } from '../db/database';
import { ApiError } from '../protocol/errors';
import type { CreateTenantRequest } from '../protocol/users';

/** Creates a tenant with its first admin (operators: `npm run tenant -- create …`). */
export async function createTenant(prisma: Prisma, input: CreateTenantRequest): Promise<{ tenantId: string; adminId: string }> {
  const passwordHash = await hashPassword(input.admin.password);
  try {
    const tenant = await prisma.tenant.create({
      data: {
        name: input.name,
        slug: input.slug,
        users: { create: { email: input.admin.email, name: input.admin.name, role: 'admin', passwordHash } },
      },
      include: { users: true },
    });
    return { tenantId: tenant.id, adminId: tenant.users[0]!.id };
  } catch (error) {
    if ((error as { code?: string }).code === 'P2002') {
      throw new ApiError('CONFLICT', `tenant slug ${input.slug} or email ${input.admin.email} is already taken`);
    }
    throw error;
  }
}
