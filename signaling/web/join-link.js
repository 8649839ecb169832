// The join link: /join#token=JWT (the fragment never reaches the server's logs) or the admin
// API's /?token=JWT, which is rewritten to the fragment form so a reload keeps working.
// The claims are read only to greet the user and to catch a plainly expired link early;
// the server decides (docs/PROTOCOL.md `join`).

export function readToken(loc = location) {
  const fromHash = new URLSearchParams(loc.hash.replace(/^#/, '')).get('token');
  if (fromHash) return fromHash;
  const fromQuery = new URLSearchParams(loc.search).get('token');
  if (fromQuery && window.history?.replaceState) {
    window.history.replaceState(null, '', `/join#token=${encodeURIComponent(fromQuery)}`);
  }
  return fromQuery;
}

/// {mtg, site, role, nbf, exp} or null when the token is not a readable JWT.
export function readClaims(token) {
  const parts = token?.split('.') ?? [];
  if (parts.length !== 3) return null;
  try {
    const b64 = parts[1].replace(/-/g, '+').replace(/_/g, '/');
    const bytes = Uint8Array.from(atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4)), (ch) => ch.charCodeAt(0));
    const claims = JSON.parse(new TextDecoder().decode(bytes));
    return claims && typeof claims === 'object' ? claims : null;
  } catch {
    return null;
  }
}

/// Clocks of commune PCs drift; only a link expired by more than this is refused before asking.
const kClockSlackSeconds = 300;

export function plainlyExpired(claims, nowMs = Date.now()) {
  return typeof claims?.exp === 'number' && claims.exp + kClockSlackSeconds < nowMs / 1000;
}

/// The i18n key explaining a failed join (the protocol gives a code and an English sentence).
export function joinErrorKey(err) {
  const message = String(err?.message ?? '');
  switch (err?.code) {
    case 'unauthorized':
      if (message.includes('expired')) return 'tokenExpired';
      if (message.includes('not valid yet')) return 'tokenNotYet';
      if (message.includes('revoked')) return 'tokenRevoked';
      return 'tokenInvalid';
    case 'not_found': return 'meetingMissing';
    case 'not_allowed':
      if (message.includes('not opened')) return 'meetingNotOpen';
      if (message.includes('cancelled')) return 'meetingCancelled';
      if (message.includes('ended')) return 'meetingOver';
      if (message.includes('locked')) return 'meetingLocked';
      return 'joinFailed';
    case 'unreachable': case 'closed': return 'serverUnreachable';
    default: return 'joinFailed';
  }
}
