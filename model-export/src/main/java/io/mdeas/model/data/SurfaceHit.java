package io.mdeas.model.data;

/** Scratch record of a surface point: unit world normal and texture coordinates. Reused per thread. */
final class SurfaceHit {
    double nx;
    double ny;
    double nz;
    double u;
    double v;

    /** Texture coordinates from a local point, projected along the dominant axis of the local normal. */
    void uvFromDominantAxis(double lx, double ly, double lz, double lnx, double lny, double lnz) {
        double ax = Math.abs(lnx);
        double ay = Math.abs(lny);
        double az = Math.abs(lnz);
        if (ay >= ax && ay >= az) {
            u = lx;
            v = lz;
        } else if (ax >= az) {
            u = lz;
            v = ly;
        } else {
            u = lx;
            v = ly;
        }
    }
}
