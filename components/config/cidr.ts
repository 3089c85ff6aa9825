/**
 * IPv4 CIDR arithmetic for config validation, on top of `ipaddr.js` (the parser Node's own
 * ecosystem uses, e.g. in express/proxy-addr), so no address parsing is written here.
 */
import * as ipaddr from "ipaddr.js";

/** True when `value` is an IPv4 CIDR whose address is the network address (no host bits set). */
export function isValidCidr(value: string): boolean {
    if (!/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(value) || !ipaddr.IPv4.isValidCIDR(value)) {
        return false;
    }
    const [addr, prefix] = ipaddr.IPv4.parseCIDR(value);
    return ipaddr.IPv4.networkAddressFromCIDR(value).toString() === addr.toString() && prefix >= 0;
}

/** True when `inner` lies wholly inside `outer`. Both must be valid CIDRs. */
export function cidrContains(outer: string, inner: string): boolean {
    const [oAddr, oPrefix] = ipaddr.IPv4.parseCIDR(outer);
    const [iAddr, iPrefix] = ipaddr.IPv4.parseCIDR(inner);
    return iPrefix >= oPrefix && iAddr.match(oAddr, oPrefix);
}

/** True when two CIDRs share at least one address. Both must be valid CIDRs. */
export function cidrsOverlap(a: string, b: string): boolean {
    return cidrContains(a, b) || cidrContains(b, a);
}

/** True for the all-addresses block 0.0.0.0/0. */
export function isAnyAddress(value: string): boolean {
    return isValidCidr(value) && ipaddr.IPv4.parseCIDR(value)[1] === 0;
}
