// @actions/http-client, loaded at its first use: see scripts/bundle.mjs.
import { createRequire } from 'node:module';
let loaded;
const load = () => (loaded ??= createRequire(import.meta.url)("./http-client/index.js"));
export class HttpClient { constructor(...args) { return new (load().HttpClient)(...args); } static [Symbol.hasInstance](value) { return value instanceof load().HttpClient; } }
export class HttpClientError { constructor(...args) { return new (load().HttpClientError)(...args); } static [Symbol.hasInstance](value) { return value instanceof load().HttpClientError; } }
export class HttpClientResponse { constructor(...args) { return new (load().HttpClientResponse)(...args); } static [Symbol.hasInstance](value) { return value instanceof load().HttpClientResponse; } }
export const getProxyUrl = (...args) => load().getProxyUrl(...args);
export const isHttps = (...args) => load().isHttps(...args);
export const Headers = {"Accept":"accept","ContentType":"content-type"};
export const HttpCodes = {"200":"OK","300":"MultipleChoices","301":"MovedPermanently","302":"ResourceMoved","303":"SeeOther","304":"NotModified","305":"UseProxy","306":"SwitchProxy","307":"TemporaryRedirect","308":"PermanentRedirect","400":"BadRequest","401":"Unauthorized","402":"PaymentRequired","403":"Forbidden","404":"NotFound","405":"MethodNotAllowed","406":"NotAcceptable","407":"ProxyAuthenticationRequired","408":"RequestTimeout","409":"Conflict","410":"Gone","429":"TooManyRequests","500":"InternalServerError","501":"NotImplemented","502":"BadGateway","503":"ServiceUnavailable","504":"GatewayTimeout","OK":200,"MultipleChoices":300,"MovedPermanently":301,"ResourceMoved":302,"SeeOther":303,"NotModified":304,"UseProxy":305,"SwitchProxy":306,"TemporaryRedirect":307,"PermanentRedirect":308,"BadRequest":400,"Unauthorized":401,"PaymentRequired":402,"Forbidden":403,"NotFound":404,"MethodNotAllowed":405,"NotAcceptable":406,"ProxyAuthenticationRequired":407,"RequestTimeout":408,"Conflict":409,"Gone":410,"TooManyRequests":429,"InternalServerError":500,"NotImplemented":501,"BadGateway":502,"ServiceUnavailable":503,"GatewayTimeout":504};
export const MediaTypes = {"ApplicationJson":"application/json"};
