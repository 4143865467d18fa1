import { expect } from '@jest/globals';
import { GraphQLError } from 'graphql';
import { isFollowUpId, isOverdue, statusChangeAllowed, STATUS_TRANSITIONS } from '../../src/modules/followup/models';
import { stateCode } from '../../src/modules/followup/repository';

describe('follow-up rules (src/modules/followup/models.ts)', () => {
  it('a measure due yesterday and still under way is overdue; completed, cancelled, withdrawn or undated ones are not', () => {
    const today = '2026-12-01';
    const base = { dueDate: '2026-11-30', status: 'IN_PROGRESS' as const, withdrawnAt: null };
    expect(isOverdue(base, today)).toBe(true);
    expect(isOverdue({ ...base, status: 'PLANNED' }, today)).toBe(true);
    expect(isOverdue({ ...base, dueDate: today }, today)).toBe(false);
    expect(isOverdue({ ...base, status: 'COMPLETED' }, today)).toBe(false);
    expect(isOverdue({ ...base, status: 'CANCELLED' }, today)).toBe(false);
    expect(isOverdue({ ...base, withdrawnAt: '2026-11-01T00:00:00.000Z' }, today)).toBe(false);
    expect(isOverdue({ ...base, dueDate: null }, today)).toBe(false);
  });

  it('allows the documented status changes and keeping a status, and nothing else', () => {
    const allowed: string[] = [];
    for (const from of Object.keys(STATUS_TRANSITIONS) as Array<keyof typeof STATUS_TRANSITIONS>)
      for (const to of Object.keys(STATUS_TRANSITIONS) as Array<keyof typeof STATUS_TRANSITIONS>)
        if (from !== to && statusChangeAllowed(from, to)) allowed.push(`${from}->${to}`);
    expect(allowed.sort()).toEqual(
      [
        'PLANNED->IN_PROGRESS',
        'PLANNED->COMPLETED',
        'PLANNED->CANCELLED',
        'IN_PROGRESS->COMPLETED',
        'IN_PROGRESS->CANCELLED',
        'COMPLETED->IN_PROGRESS',
        'CANCELLED->PLANNED',
      ].sort(),
    );
    expect(statusChangeAllowed('COMPLETED', 'COMPLETED')).toBe(true);
  });

  it('tells follow-up ids from corpus ids', () => {
    expect(isFollowUpId('measure:0b7c3a5e-1111-4222-8333-444455556666')).toBe(true);
    expect(isFollowUpId('progress:0b7c3a5e-1111-4222-8333-444455556666')).toBe(true);
    expect(isFollowUpId('action:KAZ:CRC:ratification')).toBe(false);
    expect(isFollowUpId('rec:CRC/C/KAZ/CO/4:29')).toBe(false);
  });

  it('reads a state as an ISO alpha-3 code or a state id, and names the field otherwise', () => {
    expect(stateCode('KAZ', 'input.state')).toBe('KAZ');
    expect(stateCode('state:KAZ', 'input.state')).toBe('KAZ');
    let error: unknown;
    try {
      stateCode('Kazakhstan', 'input.state');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(GraphQLError);
    expect((error as GraphQLError).extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'input.state' });
  });
});
