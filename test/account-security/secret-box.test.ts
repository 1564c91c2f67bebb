import { describe, expect, it } from 'vitest';
import { openSecret, sealSecret } from '../../src/lib/secret-box';
import { env } from '../harness';

describe('secret box (AES-256-GCM with ENCRYPTION_KEY)', () => {
  it('round-trips, with a fresh IV per seal', async () => {
    const a = await sealSecret(env.ENCRYPTION_KEY, 'JBSWY3DPEHPK3PXP', 'totp:user-1');
    const b = await sealSecret(env.ENCRYPTION_KEY, 'JBSWY3DPEHPK3PXP', 'totp:user-1');
    expect(a).toMatch(/^v1\.[\w-]{16}\.[\w-]+$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain('JBSWY3DPEHPK3PXP');
    expect(await openSecret(env.ENCRYPTION_KEY, a, 'totp:user-1')).toBe('JBSWY3DPEHPK3PXP');
  });

  it('refuses another context, an altered value and another key', async () => {
    const sealed = await sealSecret(env.ENCRYPTION_KEY, 'secret', 'totp:user-1');
    await expect(openSecret(env.ENCRYPTION_KEY, sealed, 'totp:user-2')).rejects.toThrow();
    const [v, iv, data] = sealed.split('.') as [string, string, string];
    const flipped = `${v}.${iv}.${data.startsWith('A') ? 'B' : 'A'}${data.slice(1)}`;
    await expect(openSecret(env.ENCRYPTION_KEY, flipped, 'totp:user-1')).rejects.toThrow();
    const otherKey = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32))));
    await expect(openSecret(otherKey, sealed, 'totp:user-1')).rejects.toThrow();
    await expect(openSecret(env.ENCRYPTION_KEY, 'plain-text', 'totp:user-1')).rejects.toThrow('not a sealed secret');
  });

  it('needs a 32-byte key', async () => {
    await expect(sealSecret(btoa('too short'), 'x', 'c')).rejects.toThrow('32 bytes');
  });
});
