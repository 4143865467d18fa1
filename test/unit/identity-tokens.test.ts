import { isTokenId, issueToken, looksLikeApiToken, parseToken, verifySecret } from '../../src/modules/identity/tokens';

describe('the API tokens npm run users prints', () => {
  it('have the form crg_<token id>_<secret> and parse back into their parts', async () => {
    const issued = await issueToken();
    expect(issued.token).toMatch(/^crg_[0-9a-f]{24}_[A-Za-z0-9_-]{43}$/);
    expect(looksLikeApiToken(issued.token)).toBe(true);
    const parsed = parseToken(issued.token);
    expect(parsed?.tokenId).toBe(issued.tokenId);
    expect(isTokenId(issued.tokenId)).toBe(true);
    expect(`crg_${parsed?.tokenId}_${parsed?.secret}`).toBe(issued.token);
  });

  it('store only a salted scrypt hash: neither the secret nor the token appears in it', async () => {
    const issued = await issueToken();
    const secret = parseToken(issued.token)!.secret;
    expect(issued.tokenHash).toMatch(/^scrypt:16384:8:1:[A-Za-z0-9+/]+=*$/);
    expect(issued.tokenHash).not.toContain(secret);
    expect(issued.tokenSalt).not.toContain(secret);
    // Two tokens never share a salt, so equal secrets would still hash differently.
    const other = await issueToken();
    expect(other.tokenSalt).not.toBe(issued.tokenSalt);
  });

  it('verify with the right secret and refuse a wrong one, another salt or a malformed stored hash', async () => {
    const issued = await issueToken();
    const { secret } = parseToken(issued.token)!;
    await expect(verifySecret(secret, issued.tokenSalt, issued.tokenHash)).resolves.toBe(true);
    const wrong = secret.slice(0, -1) + (secret.endsWith('A') ? 'B' : 'A');
    await expect(verifySecret(wrong, issued.tokenSalt, issued.tokenHash)).resolves.toBe(false);
    const other = await issueToken();
    await expect(verifySecret(secret, other.tokenSalt, issued.tokenHash)).resolves.toBe(false);
    await expect(verifySecret(secret, issued.tokenSalt, 'plain-text')).resolves.toBe(false);
    await expect(verifySecret(secret, issued.tokenSalt, 'scrypt:1000:8:1:AAAAAAAAAAAAAAAAAAAAAA==')).resolves.toBe(
      false,
    );
  });

  it('are refused by the parser when anything is off: prefix, id length, secret length, characters', () => {
    const good = `crg_${'a'.repeat(24)}_${'B'.repeat(43)}`;
    expect(parseToken(good)).not.toBeNull();
    for (const bad of [
      good.replace('crg_', 'crx_'),
      `crg_${'a'.repeat(23)}_${'B'.repeat(43)}`,
      `crg_${'a'.repeat(24)}_${'B'.repeat(42)}`,
      `crg_${'A'.repeat(24)}_${'B'.repeat(43)}`,
      `crg_${'a'.repeat(24)}_${'B'.repeat(42)}=`,
      `${good} `,
      '',
    ]) {
      expect(parseToken(bad)).toBeNull();
    }
    expect(looksLikeApiToken('eyJhbGciOiJSUzI1NiJ9.e30.sig')).toBe(false);
  });
});
