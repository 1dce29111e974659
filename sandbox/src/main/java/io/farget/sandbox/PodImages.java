package io.farget.sandbox;

import io.farget.proto.v1.ContainerSpec;
import io.farget.sandbox.image.CachedImage;
import io.farget.sandbox.image.ImageException;
import io.farget.sandbox.image.ImageStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The images a pod's containers name, acquired from the {@link ImageStore} for the pod (each pulled
 * and unpacked once, shared by all its pods) when it starts or is adopted, and released when it
 * goes. Acquired without any pod lock held: pulls never block other pods.
 */
final class PodImages {
    private static final Logger log = LoggerFactory.getLogger(PodImages.class);

    private final ImageStore images;

    PodImages(ImageStore images) {
        this.images = images;
    }

    /** Each image by reference; when one cannot be had, the pod's images are released and the reason thrown. */
    Map<String, CachedImage> acquire(SandboxRequest request) throws SandboxException {
        Map<String, CachedImage> found = new LinkedHashMap<>();
        List<ContainerSpec> all = new ArrayList<>(request.spec().getInitContainersList());
        all.addAll(request.spec().getContainersList());
        try {
            for (ContainerSpec c : all) {
                if (!c.getImage().isEmpty() && !found.containsKey(c.getImage())) {
                    found.put(c.getImage(), images.acquire(c.getImage(), request.podId()));
                }
            }
            return found;
        } catch (ImageException e) {
            images.release(request.podId());
            log.info("pod {}: {}", request.podId(), e.getMessage());
            throw new SandboxException(e.getMessage(), e);
        }
    }

    /** The pod no longer uses its images (they stay cached until the budget needs the room). */
    void release(String podId) {
        images.release(podId);
    }
}
