import { FailureLimiter } from '../../src/modules/identity/failure-limiter';

describe('repeated failed authentication from one address is slowed down', () => {
  const limits = { maxFailures: 3, windowMs: 60_000, maxAddresses: 100 };

  function limiterAt(start = 1_000_000) {
    const clock = { now: start };
    return { clock, limiter: new FailureLimiter(limits, () => clock.now) };
  }

  it('lets an address fail up to the allowance, then makes it wait until its window ends', () => {
    const { clock, limiter } = limiterAt();
    for (let i = 0; i < 3; i += 1) {
      expect(limiter.check('10.0.0.1')).toBeNull();
      limiter.fail('10.0.0.1');
      clock.now += 1_000;
    }
    // The window started at the first failure, 3 s ago: 57 s remain.
    expect(limiter.check('10.0.0.1')).toBe(57);
    clock.now += 56_500;
    expect(limiter.check('10.0.0.1')).toBe(1);
    clock.now += 500;
    expect(limiter.check('10.0.0.1')).toBeNull();
  });

  it('counts each address on its own', () => {
    const { limiter } = limiterAt();
    for (let i = 0; i < 3; i += 1) limiter.fail('10.0.0.1');
    expect(limiter.check('10.0.0.1')).not.toBeNull();
    expect(limiter.check('10.0.0.2')).toBeNull();
    limiter.fail('10.0.0.2');
    expect(limiter.check('10.0.0.2')).toBeNull();
  });

  it('starts a new window once the old one has ended', () => {
    const { clock, limiter } = limiterAt();
    limiter.fail('10.0.0.1');
    limiter.fail('10.0.0.1');
    clock.now += 60_000;
    limiter.fail('10.0.0.1');
    limiter.fail('10.0.0.1');
    expect(limiter.check('10.0.0.1')).toBeNull();
    limiter.fail('10.0.0.1');
    expect(limiter.check('10.0.0.1')).toBe(60);
  });

  it('remembers at most maxAddresses addresses, forgetting the oldest first', () => {
    const { clock, limiter } = limiterAt();
    for (let i = 0; i < 3; i += 1) limiter.fail('first');
    for (let i = 0; i < 150; i += 1) {
      clock.now += 1;
      limiter.fail(`10.0.${Math.floor(i / 256)}.${i % 256}`);
    }
    expect(limiter.size).toBe(100);
    // The blocked first address was the oldest: forgotten, so it may try again.
    expect(limiter.check('first')).toBeNull();
  });
});
