import { describe, expect, it } from 'vitest';
import { credentialFor, secretLookingHeaders } from './secret-header-hint';

describe('the secret header hint', () => {
  it('finds hand-typed secrets, not expressions or ordinary headers', () => {
    expect(
      secretLookingHeaders({
        Authorization: 'Bearer sk_1',
        'X-Api-Key': '{{ trigger.body.key }}',
        'X-Source': 'automateos',
        'X-Auth-Token': ' ',
        'X-Shop-Token': 'shpat_1',
      }),
    ).toEqual([
      ['Authorization', 'Bearer sk_1'],
      ['X-Shop-Token', 'shpat_1'],
    ]);
  });

  it('turns a header into the credential that sends it the same way', () => {
    expect(credentialFor('Authorization', 'Bearer sk_live_1')).toEqual({
      type: 'httpBearer',
      data: { token: 'sk_live_1' },
    });
    expect(credentialFor('authorization', `Basic ${btoa('ada:pa:ss')}`)).toEqual({
      type: 'httpBasic',
      data: { username: 'ada', password: 'pa:ss' },
    });
    expect(credentialFor('Authorization', 'Token abc')).toEqual({
      type: 'httpHeader',
      data: { name: 'Authorization', value: 'Token abc' },
    });
    expect(credentialFor('X-Api-Key', 'k-1')).toEqual({
      type: 'httpHeader',
      data: { name: 'X-Api-Key', value: 'k-1' },
    });
  });
});
