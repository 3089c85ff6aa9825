/** A resource as the pack and the offline tools both see it: its type and its inputs. */
export interface StackResource {
    type: string;
    props: Record<string, any>;
}
