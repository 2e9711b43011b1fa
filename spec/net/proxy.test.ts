// The proxy decision (operations.md §5.4): NO_PROXY entries (host, .suffix, host:port, *) and
// HTTPS_PROXY over HTTP_PROXY for https destinations; logs see no credentials.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { describeProxyDecisions, maskProxyUrl, proxyUrlFor, shouldProxy } from '../../lib/net/proxy.js';

describe('NO_PROXY matching', () => {
  const cases: Array<[string, string | null, boolean]> = [
    ['https://api.notifications.service.gov.uk/v2', null, true],
    ['https://api.notifications.service.gov.uk/v2', '*', false],
    ['https://sqs.eu-west-2.amazonaws.com', '.amazonaws.com', false],
    ['https://amazonaws.com', '.amazonaws.com', false],
    ['https://sqs.eu-west-2.amazonaws.com', 'amazonaws.com', false],
    ['https://notamazonaws.com', 'amazonaws.com', true],
    ['http://localhost:4566', 'localhost', false],
    ['http://localhost:4566', 'localhost:4566', false],
    ['http://localhost:4567', 'localhost:4566', true],
    ['https://backend.internal', 'backend.internal:443', false],
    ['http://127.0.0.1:3001', '10.0.0.1, 127.0.0.1', false],
    ['http://127.0.0.1:3001', 'localhost .amazonaws.com', true],
    ['http://[::1]:8080/x', '[::1]:8080', false],
    ['https://Backend.Example.GOV.UK', 'backend.example.gov.uk', false],
  ];
  for (const [url, noProxy, expected] of cases) {
    test(`${url} with NO_PROXY=${JSON.stringify(noProxy)} → ${expected ? 'proxy' : 'direct'}`, () => {
      assert.equal(shouldProxy(url, noProxy), expected);
    });
  }
});

describe('proxy choice and masking', () => {
  const proxy = { httpProxy: 'http://user:pw@proxy.internal:3128', httpsProxy: null, noProxy: 'localhost' };

  test('HTTP_PROXY serves https too when it is the only one; HTTPS_PROXY wins for https', () => {
    assert.equal(proxyUrlFor('https://api.notifications.service.gov.uk', proxy), proxy.httpProxy);
    assert.equal(proxyUrlFor('http://localhost:4566', proxy), null);
    const both = { ...proxy, httpsProxy: 'http://secure-proxy:3128' };
    assert.equal(proxyUrlFor('https://sqs.eu-west-2.amazonaws.com', both), 'http://secure-proxy:3128');
    assert.equal(proxyUrlFor('http://backend:3001', both), proxy.httpProxy);
    assert.equal(proxyUrlFor('https://x', { httpProxy: null, httpsProxy: null, noProxy: null }), null);
  });

  test('logs see scheme and host only', () => {
    assert.equal(maskProxyUrl('http://user:pw@proxy.internal:3128/path'), 'http://proxy.internal:3128');
    assert.equal(maskProxyUrl(null), null);
    const decisions = describeProxyDecisions({ notify: 'https://api.notifications.service.gov.uk/v2/x', sqs: 'http://localhost:4566' }, proxy);
    assert.deepEqual(decisions, {
      notify: { destination: 'https://api.notifications.service.gov.uk', via: 'http://proxy.internal:3128' },
      sqs: { destination: 'http://localhost:4566', via: 'direct' },
    });
    assert.ok(!JSON.stringify(decisions).includes('pw'));
  });
});
