import { fromBase64, randomBytes, toBase64Url } from './crypto';

/**
 * Secrets at rest (the TOTP secrets): AES-256-GCM through WebCrypto under ENCRYPTION_KEY (base64
 * of 32 bytes). A sealed value is `v1.<iv>.<ciphertext+tag>` (base64url), with a fresh 96-bit IV
 * per seal. The `context` (e.g. the owner's id) is authenticated as additional data, so a value
 * copied to another row does not open there.
 */
const VERSION = 'v1';
const IV_BYTES = 12;
const encoder = new TextEncoder();
const keys = new Map<string, Promise<CryptoKey>>();

function secretKey(encoded: string): Promise<CryptoKey> {
  let key = keys.get(encoded);
  if (!key) {
    let raw: Uint8Array;
    try {
      raw = fromBase64(encoded ?? '');
    } catch {
      throw new Error('ENCRYPTION_KEY must be base64');
    }
    if (raw.length !== 32) throw new Error('ENCRYPTION_KEY must be the base64 of 32 bytes');
    key = crypto.subtle.importKey('raw', raw, { name: 'AES-GCM' }, false, ['encrypt', 'decrypt']);
    keys.set(encoded, key);
  }
  return key;
}

/** Encrypts `plaintext` for storage. */
export async function sealSecret(encodedKey: string, plaintext: string, context: string): Promise<string> {
  const iv = randomBytes(IV_BYTES);
  const ciphertext = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: encoder.encode(context) },
    await secretKey(encodedKey),
    encoder.encode(plaintext),
  );
  return `${VERSION}.${toBase64Url(iv)}.${toBase64Url(ciphertext)}`;
}

/** Decrypts a value made by `sealSecret` with the same key and context; throws if it was altered. */
export async function openSecret(encodedKey: string, sealed: string, context: string): Promise<string> {
  const [version, iv, ciphertext] = sealed.split('.');
  if (version !== VERSION || !iv || !ciphertext) throw new Error('not a sealed secret');
  const plaintext = await crypto.subtle.decrypt(
    { name: 'AES-GCM', iv: fromBase64(iv), additionalData: encoder.encode(context) },
    await secretKey(encodedKey),
    fromBase64(ciphertext),
  );
  return new TextDecoder().decode(plaintext);
}
