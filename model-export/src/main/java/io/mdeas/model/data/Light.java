package io.mdeas.model.data;

/**
 * A point light that casts shadows, plus a soft ambient term.
 *
 * @param x position x
 * @param y position y
 * @param z position z
 * @param r colour times intensity, red
 * @param g colour times intensity, green
 * @param b colour times intensity, blue
 * @param reach distance (m) at which the light has its nominal intensity; falls off with the square beyond
 * @param ambientR ambient light, red
 * @param ambientG ambient light, green
 * @param ambientB ambient light, blue
 * @param size radius (m) of the light's emitting surface; shadow rays aim at random points of it, which gives
 *     soft shadow edges
 */
public record Light(double x, double y, double z, double r, double g, double b, double reach,
                    double ambientR, double ambientG, double ambientB, double size) {

    /** A point light (hard shadows). */
    public Light(double x, double y, double z, double r, double g, double b, double reach,
                 double ambientR, double ambientG, double ambientB) {
        this(x, y, z, r, g, b, reach, ambientR, ambientG, ambientB, 0);
    }

    /** The same light with colour and ambient scaled by {@code k} (a dimmer switch). */
    public Light scaled(double k) {
        return new Light(x, y, z, r * k, g * k, b * k, reach, ambientR * k, ambientG * k, ambientB * k, size);
    }
}
