package io.mdeas.model.data;

import java.util.List;

/**
 * Everything needed to render one view: room, background primitives (furniture, present in both images),
 * foreground primitives (present only in fg_bg) and the light.
 */
public final class Scene {
    final Room room;
    final Primitive[] primitives;
    final Light light;
    final FillLight fill;
    final int foregroundObjects;

    /**
     * @param background primitives shared by bg and fg_bg
     * @param foreground primitives of the foreground objects; each primitive's object id groups it
     */
    public Scene(Room room, List<Primitive> background, List<Primitive> foreground, Light light) {
        this(room, background, foreground, light, FillLight.NONE);
    }

    /**
     * @param background primitives shared by bg and fg_bg
     * @param foreground primitives of the foreground objects; each primitive's object id groups it
     * @param fill a shadowless directional light added to the main light
     */
    public Scene(Room room, List<Primitive> background, List<Primitive> foreground, Light light, FillLight fill) {
        this.room = room;
        this.light = light;
        this.fill = fill;
        this.primitives = new Primitive[background.size() + foreground.size()];
        int i = 0;
        for (Primitive p : background) {
            p.foreground = false;
            primitives[i++] = p;
        }
        java.util.Set<Integer> ids = new java.util.HashSet<>();
        for (Primitive p : foreground) {
            p.foreground = true;
            ids.add(p.objectId);
            primitives[i++] = p;
        }
        this.foregroundObjects = ids.size();
    }

    public Room room() {
        return room;
    }

    public Light light() {
        return light;
    }

    public FillLight fill() {
        return fill;
    }

    /** Number of distinct foreground objects placed (visible or not). */
    public int foregroundObjects() {
        return foregroundObjects;
    }
}
