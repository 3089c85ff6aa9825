/**
 * Kubernetes resource quantities (the subset the platform writes: CPU in cores or millicores,
 * memory in binary or decimal suffixes), parsed to numbers for arithmetic and formatted back.
 */
const MEMORY_FACTORS: Record<string, number> = {
    "": 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12,
    Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40,
};

/** CPU quantity ("250m", "1", "1.5") in millicores. */
export function cpuMillicores(quantity: string): number {
    const match = /^(\d+(?:\.\d+)?)(m?)$/.exec(quantity);
    if (!match) {
        throw new Error(`not a CPU quantity: ${quantity}`);
    }
    return match[2] === "m" ? Number(match[1]) : Number(match[1]) * 1000;
}

/** Memory quantity ("512Mi", "1Gi", "1G") in bytes. */
export function memoryBytes(quantity: string): number {
    const match = /^(\d+(?:\.\d+)?)([kMGT]i?|)$/.exec(quantity);
    if (!match) {
        throw new Error(`not a memory quantity: ${quantity}`);
    }
    return Number(match[1]) * MEMORY_FACTORS[match[2]];
}

/** Millicores as a quantity, rounded up to a whole millicore. */
export function formatMillicores(millicores: number): string {
    return `${Math.ceil(millicores)}m`;
}

/** Bytes as a quantity in Mi, rounded up. */
export function formatMebibytes(bytes: number): string {
    return `${Math.ceil(bytes / 2 ** 20)}Mi`;
}
