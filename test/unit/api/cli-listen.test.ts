import { parseListen } from '../../../src/cli/commands/api';

describe('the --listen address', () => {
  it.each<[string, { host: string; port: number }]>([
    ['0.0.0.0:8080', { host: '0.0.0.0', port: 8080 }],
    ['127.0.0.1:0', { host: '127.0.0.1', port: 0 }],
    ['localhost:9000', { host: 'localhost', port: 9000 }],
    ['[::]:8080', { host: '::', port: 8080 }],
    ['[::1]:443', { host: '::1', port: 443 }],
  ])('reads %s', (text, expected) => {
    expect(parseListen(text)).toEqual(expected);
  });

  it.each(['8080', ':8080', '0.0.0.0', '0.0.0.0:65536', '0.0.0.0:http', '::1:8080'])('refuses %s', (text) => {
    expect(() => parseListen(text)).toThrow(`invalid --listen "${text}": expected host:port`);
  });
});
