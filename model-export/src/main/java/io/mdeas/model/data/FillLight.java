package io.mdeas.model.data;

/**
 * A soft directional light without shadows (light from windows, bounce light), coming from direction
 * (x, y, z) (unit vector pointing towards the light).
 *
 * @param x direction to the light, x
 * @param y direction to the light, y
 * @param z direction to the light, z
 * @param r colour times intensity, red
 * @param g colour times intensity, green
 * @param b colour times intensity, blue
 */
public record FillLight(double x, double y, double z, double r, double g, double b) {
    /** No fill light. */
    public static final FillLight NONE = new FillLight(0, 1, 0, 0, 0, 0);

    /** The same light scaled by {@code k}. */
    public FillLight scaled(double k) {
        return new FillLight(x, y, z, r * k, g * k, b * k);
    }
}
