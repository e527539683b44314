/**
 * The day each revoked certificate of an archive was revoked, by its number. The archive answers a
 * certificate's issue and its revocation as separate entries (api.md), so the certified line learns it
 * was revoked from the certificate_revoked entry of the same archive naming its number.
 */
export function revokedOnOf(entries: ReadonlyArray<{ kind: string; at: string } & Record<string, unknown>>): Map<string, string> {
  return new Map(entries.filter((entry) => entry.kind === 'certificate_revoked' && typeof entry['certificateNumber'] === 'string').map((entry) => [entry['certificateNumber'] as string, entry.at]));
}
