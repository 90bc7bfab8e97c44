'use strict';
// socks-proxy-agent is left out of the build-tag-push bundle: see scripts/bundle.mjs.
const absent = "socks-proxy-agent is not in the build-tag-push bundle (scripts/bundle.mjs) and cannot be used";
exports.SocksProxyAgent = class SocksProxyAgent { constructor() { throw new Error(absent); } };

exports.SocksProxyAgent.protocols = ['socks', 'socks4', 'socks4a', 'socks5', 'socks5h'];
