import { describe, expect, it } from 'vitest';
import { PathMemo } from '../../src/lib/path-memo';

describe('PathMemo (the per-isolate memory of areas and router matches)', () => {
  it('computes each key once, and again only after it was cleared', () => {
    const memo = new PathMemo<string>();
    let computed = 0;
    const compute = () => `area-${++computed}`;
    expect(memo.get('/api/themes', compute)).toBe('area-1');
    expect(memo.get('/api/themes', compute)).toBe('area-1');
    expect(memo.get('/api/users', compute)).toBe('area-2');
    memo.clear();
    expect(memo.get('/api/themes', compute)).toBe('area-3');
  });

  it('holds at most 1,000 keys (then starts over) and never remembers keys longer than 256 characters', () => {
    const memo = new PathMemo<number>();
    let computed = 0;
    const compute = () => ++computed;
    for (let i = 0; i < 1000; i++) memo.get(`/p/${i}`, compute);
    expect(memo.get('/p/0', compute)).toBe(1);
    memo.get('/p/1000', compute);
    expect(computed).toBe(1001);
    expect(memo.get('/p/0', compute)).toBe(1002);
    const long = `/p/${'x'.repeat(256)}`;
    memo.get(long, compute);
    memo.get(long, compute);
    expect(computed).toBe(1004);
  });
});
