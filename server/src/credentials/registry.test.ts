import { credentialSpecs } from '@automateos/shared';
import { describe, expect, it } from 'vitest';
import { credentialImplementations, requestHeaders, secretsOf } from './registry';

describe('the credential registry', () => {
  it('has a check for exactly the types whose spec describes one', () => {
    for (const spec of credentialSpecs) {
      expect(credentialImplementations[spec.type].test !== undefined, spec.type).toBe(
        spec.test !== undefined,
      );
    }
  });

  it('authenticates HTTP requests the way each type says', () => {
    const credential = { id: 'c', name: 'c' };
    expect(requestHeaders({ ...credential, type: 'httpBearer', data: { token: 't0k' } })).toEqual({
      authorization: 'Bearer t0k',
    });
    expect(
      requestHeaders({ ...credential, type: 'httpBasic', data: { username: 'ada', password: 'pä ss' } }),
    ).toEqual({ authorization: `Basic ${Buffer.from('ada:pä ss').toString('base64')}` });
    expect(
      requestHeaders({ ...credential, type: 'httpHeader', data: { name: 'X-Api-Key', value: 'k' } }),
    ).toEqual({
      'x-api-key': 'k',
    });
    expect(requestHeaders({ ...credential, type: 'webhookSecret', data: { secret: 's' } })).toEqual({});
  });

  it('names every secret and the forms built from them, never a public field', () => {
    expect(secretsOf('httpBasic', { username: 'ada', password: 'secret-pw' })).toEqual([
      'secret-pw',
      Buffer.from('ada:secret-pw').toString('base64'),
      'ada:secret-pw',
    ]);
    expect(secretsOf('slack', { webhookUrl: 'https://hooks.slack.com/services/T1/B2/Xyz123' })).toEqual([
      'https://hooks.slack.com/services/T1/B2/Xyz123',
      '/services/T1/B2/Xyz123',
      'Xyz123',
    ]);
    expect(
      secretsOf('smtp', {
        host: 'smtp.example.com',
        port: 587,
        security: 'starttls',
        username: 'ada',
        from: 'a@b.c',
      }),
    ).toEqual([]);
  });
});
