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

/// The server's error reasons (docs/PROTOCOL.md "Error reasons") and what the page says for each.
const kReasonKeys = {
  token_expired: 'tokenExpired',
  token_not_yet_valid: 'tokenNotYet',
  token_revoked: 'tokenRevoked',
  token_bad_signature: 'tokenInvalid',
  token_malformed: 'tokenInvalid',
  meeting_not_found: 'meetingMissing',
  meeting_not_open: 'meetingNotOpen',
  meeting_ended: 'meetingOver',
  meeting_cancelled: 'meetingCancelled',
  meeting_locked: 'meetingLocked',
  already_joined: 'alreadyJoined',
  chair_only: 'chairOnly',
  role_forbidden: 'roleForbidden',
};

/// The i18n key explaining a failed request: by the server's reason when it gives one, else by
/// its code and English sentence (servers before reasons existed).
export function joinErrorKey(err) {
  if (err?.reason && kReasonKeys[err.reason]) return kReasonKeys[err.reason];
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
      if (message.includes('only the chair')) return 'chairOnly';
      return 'joinFailed';
    case 'unreachable': case 'closed': return 'serverUnreachable';
    default: return 'joinFailed';
  }
}

/// The sentence for a refused request inside the meeting (a chair action, a hand, chat): the
/// translated reason when the server gave one, else the server's own sentence (a code alone is
/// about joining: `not_found` here names a participant, not the meeting).
export function requestErrorVars(err, t) {
  const key = err?.reason ? kReasonKeys[err.reason] : undefined;
  return { detail: key ? t(key) : String(err?.message ?? '') };
}
