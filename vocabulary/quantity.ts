/**
 * Kubernetes resource quantities, the subset the platform writes (CPU in cores or millicores,
 * memory with binary or decimal suffixes), as numbers. Shared by the policy pack and the program;
 * imports nothing. An unreadable quantity gives NaN, which no comparison satisfies.
 */
const MEMORY_FACTORS: Record<string, number> = {
    "": 1,
    k: 1e3,
    M: 1e6,
    G: 1e9,
    T: 1e12,
    Ki: 2 ** 10,
    Mi: 2 ** 20,
    Gi: 2 ** 30,
    Ti: 2 ** 40,
};

/** CPU quantity ("250m", "1", "1.5") in millicores; NaN when unreadable. */
export function millicoresOf(quantity: string): number {
    const match = /^(\d+(?:\.\d+)?)(m?)$/.exec(quantity);
    return !match ? NaN : match[2] === "m" ? Number(match[1]) : Number(match[1]) * 1000;
}

/** Memory quantity ("512Mi", "1Gi", "1G") in bytes; NaN when unreadable. */
export function bytesOf(quantity: string): number {
    const match = /^(\d+(?:\.\d+)?)([kMGT]i?|)$/.exec(quantity);
    return match ? Number(match[1]) * MEMORY_FACTORS[match[2]] : NaN;
}

/** CPU quantity in cores; NaN when unreadable. */
export function cores(quantity: string): number {
    return millicoresOf(quantity) / 1000;
}

/** Memory quantity in GiB; NaN when unreadable. */
export function gibibytes(quantity: string): number {
    return bytesOf(quantity) / 2 ** 30;
}
