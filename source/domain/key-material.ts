// What a key file holds, judged from its text alone: the import step sends the file to AWS, so a
// private key must be recognised (in every armour people keep them in) before any call is made.
// Pure: callers read the file; this only looks at the text.

export type KeyMaterialKind =
  /** One OpenSSH public key line: ssh-ed25519, ssh-rsa, ecdsa-sha2-…, sk-… */
  | 'openssh-public'
  /** -----BEGIN PUBLIC KEY----- / RSA PUBLIC KEY, or the SSH2 (RFC 4716) public key block. */
  | 'pem-public'
  /** Any private key: PEM "PRIVATE KEY" armour (PKCS#1, PKCS#8, SEC1, encrypted), OpenSSH, PuTTY. */
  | 'private'
  | 'unknown';

export interface KeyMaterial {
  kind: KeyMaterialKind;
  /** For a private key: which armour gave it away, for the message. */
  format?: 'pem' | 'openssh' | 'putty';
}

const OPENSSH_PUBLIC = /^(ssh-ed25519|ssh-rsa|ssh-dss|ecdsa-sha2-nistp(256|384|521)|sk-ssh-ed25519@openssh\.com|sk-ecdsa-sha2-nistp256@openssh\.com)\s+[A-Za-z0-9+/]+={0,3}(\s.*)?$/;
const PRIVATE_PEM = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/;
const OPENSSH_PRIVATE = /-----BEGIN OPENSSH PRIVATE KEY-----/;
const PUTTY = /^PuTTY-User-Key-File-\d+:/m;
const PUBLIC_PEM = /^-----BEGIN (RSA )?PUBLIC KEY-----\r?\n[A-Za-z0-9+/=\r\n]+-----END (RSA )?PUBLIC KEY-----\s*$/;
const SSH2_PUBLIC = /^---- BEGIN SSH2 PUBLIC KEY ----\r?\n[\s\S]+---- END SSH2 PUBLIC KEY ----\s*$/;
// The fixed first bytes of the OpenSSH private container ("openssh-key-v1\0") in base64, for
// material that arrives without its armour.
const OPENSSH_PRIVATE_BODY = 'b3BlbnNzaC1rZXktdjEA';

/** Classifies key text; a private key wins over anything else the text may also hold. */
export function classifyKeyMaterial(text: string): KeyMaterial {
  if (OPENSSH_PRIVATE.test(text) || text.includes(OPENSSH_PRIVATE_BODY)) return {kind: 'private', format: 'openssh'};
  if (PUTTY.test(text)) return {kind: 'private', format: 'putty'};
  if (PRIVATE_PEM.test(text)) return {kind: 'private', format: 'pem'};
  const trimmed = text.trim();
  const lines = trimmed.split(/\r?\n/).filter((line) => line.trim() !== '');
  if (lines.length === 1 && OPENSSH_PUBLIC.test(lines[0].trim())) return {kind: 'openssh-public'};
  if (PUBLIC_PEM.test(trimmed) || SSH2_PUBLIC.test(trimmed)) return {kind: 'pem-public'};
  return {kind: 'unknown'};
}

export const isPrivateKeyText = (text: string): boolean => classifyKeyMaterial(text).kind === 'private';

/**
 * Why `text` (the content of `file`) cannot be imported as a public key, or undefined when it
 * can. `pubBeside` is the `.pub` file next to it when the caller found one.
 */
export function publicKeyProblem(file: string, text: string, pubBeside?: string): string | undefined {
  const {kind, format} = classifyKeyMaterial(text);
  if (kind === 'openssh-public' || kind === 'pem-public') return undefined;
  if (kind === 'private') {
    const armour = format === 'putty' ? 'a PuTTY private key' : format === 'openssh' ? 'an OpenSSH private key' : 'a PEM private key';
    const hint = pubBeside ? `import ${pubBeside} instead` : 'import its public half instead (ssh-keygen -y -f FILE > FILE.pub)';
    return `${file} is the private key (${armour}); it never leaves this machine, so tandem will not send it: ${hint}.`;
  }
  return `${file} does not hold a public key; give an OpenSSH public key line (ssh-ed25519 …, ssh-rsa …, ecdsa-sha2-…) or a PEM public key, usually the .pub file.`;
}
