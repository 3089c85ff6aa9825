/**
 * Kubernetes resource quantities for the program's arithmetic: the shared parsers of the policy
 * pack, made strict (an unreadable quantity is a bug here, not a policy finding), and formatters.
 */
import { bytesOf, millicoresOf } from "../../vocabulary/quantity";

function strict(parse: (q: string) => number, what: string): (quantity: string) => number {
    return (quantity) => {
        const value = parse(quantity);
        if (Number.isNaN(value)) {
            throw new Error(`not a ${what} quantity: ${quantity}`);
        }
        return value;
    };
}

/** CPU quantity ("250m", "1", "1.5") in millicores. */
export const cpuMillicores = strict(millicoresOf, "CPU");

/** Memory quantity ("512Mi", "1Gi", "1G") in bytes. */
export const memoryBytes = strict(bytesOf, "memory");

/** Millicores as a quantity, rounded up to a whole millicore. */
export function formatMillicores(millicores: number): string {
    return `${Math.ceil(millicores)}m`;
}

/** Bytes as a quantity in Mi, rounded up. */
export function formatMebibytes(bytes: number): string {
    return `${Math.ceil(bytes / 2 ** 20)}Mi`;
}
