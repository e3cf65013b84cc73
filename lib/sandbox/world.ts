/**
 * The sandbox service's world of an account: one per account, named by its id, so two accounts'
 * sandboxes never share a phone, a contact or a message (simulator/sandbox-service.ts).
 */
export function sandboxWorldOf(userId: string): string {
  return userId.toLowerCase()
}
