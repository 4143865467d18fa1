/**
 * A small seeded PRNG (mulberry32) with the helpers the generator needs. Every synthetic state draws from
 * its own stream, seeded from the run's seed and the state's index, so a state is the same whether it is
 * generated alone, as part of a 100× corpus or of a million-node one (loads can be cumulative).
 */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Derives an independent stream, e.g. one per state. */
  static forKey(seed: number, key: string): Random {
    let hash = 2166136261 ^ seed;
    for (let i = 0; i < key.length; i += 1) hash = Math.imul(hash ^ key.charCodeAt(i), 16777619);
    return new Random(hash >>> 0);
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** One of `items`, with the given relative weights. */
  weighted<T>(items: readonly T[], weights: readonly number[]): T {
    const total = weights.reduce((a, b) => a + b, 0);
    let roll = this.next() * total;
    for (let i = 0; i < items.length; i += 1) {
      roll -= weights[i] ?? 0;
      if (roll < 0) return items[i] as T;
    }
    return items[items.length - 1] as T;
  }

  /** Up to `count` distinct items, in random order. */
  sample<T>(items: readonly T[], count: number): T[] {
    const copy = [...items];
    const result: T[] = [];
    while (result.length < count && copy.length > 0) {
      const index = Math.floor(this.next() * copy.length);
      result.push(copy[index] as T);
      copy.splice(index, 1);
    }
    return result;
  }

  /** An index in [0, size) skewed towards the front (rank r has weight 1 / (r + 1)^exponent). */
  zipfIndex(size: number, exponent = 1): number {
    let total = 0;
    for (let r = 0; r < size; r += 1) total += 1 / (r + 1) ** exponent;
    let roll = this.next() * total;
    for (let r = 0; r < size; r += 1) {
      roll -= 1 / (r + 1) ** exponent;
      if (roll < 0) return r;
    }
    return size - 1;
  }

  /** A date string of the precision the corpus uses: mostly YYYY-MM-DD, sometimes YYYY-MM or YYYY. */
  date(year: number, precision: 'day' | 'mixed' = 'mixed'): string {
    const month = String(this.int(1, 12)).padStart(2, '0');
    const day = String(this.int(1, 28)).padStart(2, '0');
    if (precision === 'day') return `${year}-${month}-${day}`;
    const roll = this.next();
    if (roll < 0.8) return `${year}-${month}-${day}`;
    if (roll < 0.9) return `${year}-${month}`;
    return String(year);
  }
}
