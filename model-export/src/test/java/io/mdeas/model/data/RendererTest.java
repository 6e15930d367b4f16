package io.mdeas.model.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Geometry of the ray caster: exact depth, masks consistent with depth, shadows outside the mask. */
class RendererTest {
    private static final Material GREY = Material.plain(0.5, 0.5, 0.5);

    private static Room bigRoom() {
        return new Room(-50, 50, -50, 50, 3, GREY, GREY, GREY, 0, GREY);
    }

    private static Light overheadLight(double x, double z) {
        return new Light(x, 2.5, z, 1, 1, 1, 2, 0.2, 0.2, 0.2);
    }

    @Test
    void floorDepthIsTheAnalyticPlaneDepth() {
        for (double[] cam : new double[][] {{0.2, -10, 70, 0}, {0.05, 0, 55, 33}, {0.4, -20, 90, -120}}) {
            double h = cam[0];
            double pitch = cam[1];
            Camera camera = new Camera(1.0, h, -2.0, cam[3], pitch, cam[2]);
            Scene scene = new Scene(bigRoom(), List.of(), List.of(), overheadLight(0, 0));
            RenderedViews views = new RenderedViews(64, 48);
            new Renderer().render(scene, camera, views);
            double f = camera.focalPx(64);
            double sp = Math.sin(Math.toRadians(pitch));
            double cp = Math.cos(Math.toRadians(pitch));
            int floorPixels = 0;
            for (int v = 0; v < 48; v++) {
                double yn = Camera.yn(v, 48, f);
                double dy = sp + yn * cp; // world-up component of the ray whose forward component is 1
                if (dy >= -1e-3) {
                    continue;
                }
                double expected = -h / dy;
                if (expected > 30) {
                    continue; // the walls are 50 m away; stay well clear of them
                }
                for (int u = 0; u < 64; u++) {
                    assertEquals(expected, views.depthAt(u, v), expected * 1e-5 + 1e-6,
                            "floor depth at (" + u + "," + v + ") for camera " + java.util.Arrays.toString(cam));
                    floorPixels++;
                }
            }
            assertTrue(floorPixels > 64 * 10, "the floor must fill a good part of the view");
        }
    }

    @Test
    void sphereDepthAtTheImageCentreIsDistanceMinusRadius() {
        Camera camera = new Camera(0, 0.3, 0, 0, 0, 60);
        Primitive ball = EllipsoidPrimitive.sphere(GREY, 0, 0.3, 2.0, 0.25);
        ball.objectId = 1;
        Scene scene = new Scene(bigRoom(), List.of(), List.of(ball), overheadLight(0, 2));
        RenderedViews views = new RenderedViews(65, 65); // odd size: the centre pixel's ray is the optical axis
        new Renderer().render(scene, camera, views);
        assertEquals(1.75, views.depthAt(32, 32), 1e-5);
        assertTrue(views.foregroundAt(32, 32));
        assertEquals(1, views.objectAt(32, 32));
        // the bg view does not see the ball: there the ray meets the far wall (50 m along the axis)
        assertEquals(50.0, views.bgDepthAt(32, 32), 1e-3);
    }

    @Test
    void everyMaskPixelIsNearerThanTheBackgroundAndTheRestIsTheBackground() {
        SceneSampler sampler = new SceneSampler();
        Renderer renderer = new Renderer();
        RenderedViews views = new RenderedViews(40, 40);
        int maskPixels = 0;
        for (int i = 0; i < 40; i++) {
            SampledScene s = sampler.sample(new SplittableRandom(1000 + i));
            renderer.render(s.scene(), s.camera(), views);
            for (int y = 0; y < 40; y++) {
                for (int x = 0; x < 40; x++) {
                    float d = views.depthAt(x, y);
                    float b = views.bgDepthAt(x, y);
                    assertTrue(d > 0 && b > 0, "depth must be positive");
                    if (views.foregroundAt(x, y)) {
                        assertTrue(d < b, "mask pixel (" + x + "," + y + ") of sample " + i + " not nearer: " + d
                                + " vs bg " + b);
                        maskPixels++;
                    } else {
                        assertEquals(b, d, 0f, "non-mask depth must be the bg depth");
                    }
                }
            }
        }
        assertTrue(maskPixels > 500, "random scenes must show foreground, saw " + maskPixels + " pixels");
    }

    @Test
    void shadowsChangeFgBgButNotTheMask() {
        Camera camera = new Camera(0, 0.2, 0, 0, -10, 70);
        Primitive box = new BoxPrimitive(GREY, 0, 0.15, 1.5, 0.15, 0.15, 0.15, 0.3);
        box.objectId = 1;
        RenderedViews lit = new RenderedViews(64, 64);
        RenderedViews otherLight = new RenderedViews(64, 64);
        Renderer renderer = new Renderer();
        // a low light to the right of the box: its shadow falls on the floor to the left, in view
        Light side = new Light(1.5, 1.0, 1.5, 1, 1, 1, 2, 0.2, 0.2, 0.2);
        renderer.render(new Scene(bigRoom(), List.of(), List.of(box), side), camera, lit);
        renderer.render(new Scene(bigRoom(), List.of(), List.of(box), overheadLight(-3, -3)), camera, otherLight);
        int shadowPixels = 0;
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                assertEquals(lit.foregroundAt(x, y), otherLight.foregroundAt(x, y), "mask depends on the light");
                if (lit.foregroundAt(x, y)) {
                    continue;
                }
                double bg = lit.bgAt(x, y, 0) + lit.bgAt(x, y, 1) + lit.bgAt(x, y, 2);
                double fg = lit.fgBgAt(x, y, 0) + lit.fgBgAt(x, y, 1) + lit.fgBgAt(x, y, 2);
                assertTrue(fg <= bg + 1e-6, "outside the mask fg_bg can only be darker (a shadow)");
                if (fg < bg * 0.9) {
                    shadowPixels++;
                }
            }
        }
        assertTrue(shadowPixels > 20, "the box must cast a visible shadow outside the mask, saw " + shadowPixels);
    }
}
