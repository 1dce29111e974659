package io.farget.sandbox;

import io.farget.sandbox.oci.OciContainer;

/**
 * One container of a pod as the runtime launches it.
 *
 * @param runcId runc's id for it: the pod id for a pod without pause, else {@code <podId>.<name>}
 * @param oci its spec, without the pause pid it joins (known only once the pause runs)
 */
record ContainerPlan(String name, String runcId, boolean init, OciContainer oci) {}
