package io.mdeas.model.data;

/**
 * Ray casts a {@link Scene} from a {@link Camera} into both views at once: the nearest background surface gives
 * the bg view, the nearest of background and foreground gives fg_bg. Shadow rays to the light are traced
 * against background casters for bg and against all casters for fg_bg, so foreground shadows appear only in
 * fg_bg and never in the mask.
 *
 * <p>Work is done in 8x8 tiles: each tile keeps only the primitives whose bounding sphere touches its view
 * frustum for primary rays, and only those near the segment from its hit points to the light for shadow
 * rays. One instance per thread; its scratch arrays are reused.
 */
public final class Renderer {
    private static final int TILE = 8;
    private static final double SHADOW_BIAS = 1e-4;

    private final SurfaceHit hit = new SurfaceHit();
    private final double[] albedo = new double[3];
    private final int[] face = new int[1];
    private final double[] tmp = new double[3];
    private int[] primary = new int[0];
    private int[] bgCasters = new int[0];
    private int[] fgCasters = new int[0];
    private int[] bgOccluders = new int[0];
    private int[] fgOccluders = new int[0];
    /** How much of the ambient light full occlusion takes away. */
    private static final double AO_STRENGTH = 0.8;
    /** Camera-space bounding spheres: x, y, z, r per primitive. */
    private double[] camSpheres = new double[0];
    // per-tile hit scratch
    private final double[] tileTBg = new double[TILE * TILE];
    private final int[] tileBgPrim = new int[TILE * TILE];
    private final double[] tileTFg = new double[TILE * TILE];
    private final int[] tileFgPrim = new int[TILE * TILE];
    // composite scratch: visibility averaged across rows
    private float[] rowBg = new float[0];
    private float[] rowBgFg = new float[0];
    private float[] rowFg = new float[0];

    /** Renders both views of {@code scene} seen by {@code camera} into {@code out} (its full size). */
    public void render(Scene scene, Camera camera, RenderedViews out) {
        int w = out.width;
        int h = out.height;
        Primitive[] prims = scene.primitives;
        int n = prims.length;
        if (primary.length < n) {
            primary = new int[n];
            bgCasters = new int[n];
            fgCasters = new int[n];
            bgOccluders = new int[n];
            fgOccluders = new int[n];
            camSpheres = new double[4 * n];
        }
        for (int i = 0; i < n; i++) {
            Primitive p = prims[i];
            camera.toCamera(p.cx, p.cy, p.cz, tmp);
            camSpheres[4 * i] = tmp[0];
            camSpheres[4 * i + 1] = tmp[1];
            camSpheres[4 * i + 2] = tmp[2];
            camSpheres[4 * i + 3] = p.radius;
        }
        double f = camera.focalPx(w);
        double fy = camera.focalPxY(w, h);
        for (int ty = 0; ty < h; ty += TILE) {
            for (int tx = 0; tx < w; tx += TILE) {
                renderTile(scene, camera, out, tx, ty, Math.min(TILE, w - tx), Math.min(TILE, h - ty), f, fy);
            }
        }
        composite(out);
    }

    /**
     * Final colours: base + direct x visibility, the visibility averaged over 5 pixels across and then 5 down,
     * each time only over pixels that see the same surface. One shadow ray per pixel aimed at a random point of
     * the light gives a noisy penumbra; the average turns it into a soft edge without bleeding across object
     * borders. bg and the background part of fg_bg use the same weights, so fg_bg differs from bg only where
     * the foreground shadows it (and is never brighter there).
     */
    private void composite(RenderedViews out) {
        int w = out.width;
        int h = out.height;
        int n = w * h;
        if (rowBg.length < n) {
            rowBg = new float[n];
            rowBgFg = new float[n];
            rowFg = new float[n];
        }
        int[] sb = out.surfaceBg;
        int[] obj = out.fgObject;
        int[] sf = out.surfaceFg;
        // across
        for (int y = 0; y < h; y++) {
            int row = y * w;
            for (int x = 0; x < w; x++) {
                int pix = row + x;
                int x0 = Math.max(0, x - 2);
                int x1 = Math.min(w - 1, x + 2);
                int sid = sb[pix];
                float a = 0;
                float b = 0;
                int cnt = 0;
                for (int k = row + x0; k <= row + x1; k++) {
                    if (sb[k] == sid) {
                        a += out.visBg[k];
                        b += out.visBgWithFg[k];
                        cnt++;
                    }
                }
                rowBg[pix] = a / cnt;
                rowBgFg[pix] = b / cnt;
                if (obj[pix] >= 0) {
                    int fid = sf[pix];
                    float c = 0;
                    int m = 0;
                    for (int k = row + x0; k <= row + x1; k++) {
                        if (obj[k] >= 0 && sf[k] == fid) {
                            c += out.visFg[k];
                            m++;
                        }
                    }
                    rowFg[pix] = c / m;
                }
            }
        }
        // down, then colours
        for (int y = 0; y < h; y++) {
            int y0 = Math.max(0, y - 2);
            int y1 = Math.min(h - 1, y + 2);
            for (int x = 0; x < w; x++) {
                int pix = y * w + x;
                int c = 3 * pix;
                int sid = sb[pix];
                float a = 0;
                float b = 0;
                int cnt = 0;
                for (int k = y0 * w + x; k <= y1 * w + x; k += w) {
                    if (sb[k] == sid) {
                        a += rowBg[k];
                        b += rowBgFg[k];
                        cnt++;
                    }
                }
                float vb = a / cnt;
                shade(out.bg, c, out.baseBg, out.directBg, vb);
                if (obj[pix] < 0) {
                    shade(out.fgBg, c, out.baseBgWithFg, out.directBg, b / cnt);
                    continue;
                }
                int fid = sf[pix];
                float e = 0;
                int m = 0;
                for (int k = y0 * w + x; k <= y1 * w + x; k += w) {
                    if (obj[k] >= 0 && sf[k] == fid) {
                        e += rowFg[k];
                        m++;
                    }
                }
                shade(out.fgBg, c, out.baseFg, out.directFg, e / m);
            }
        }
    }

    /** One RGB pixel at {@code c}: ambient base plus direct light scaled by the blurred visibility {@code v}. */
    private static void shade(float[] rgb, int c, float[] base, float[] direct, float v) {
        rgb[c] = base[c] + direct[c] * v;
        rgb[c + 1] = base[c + 1] + direct[c + 1] * v;
        rgb[c + 2] = base[c + 2] + direct[c + 2] * v;
    }

    private void renderTile(Scene scene, Camera cam, RenderedViews out, int tx, int ty, int tw, int th, double f,
            double fy) {
        Primitive[] prims = scene.primitives;
        int w = out.width;
        int h = out.height;
        // frustum of the tile in normalised coordinates (pixel edges)
        double xa = (tx - w / 2.0) / f;
        double xb = (tx + tw - w / 2.0) / f;
        double yb = (h / 2.0 - ty) / fy;
        double ya = (h / 2.0 - ty - th) / fy;
        double nxa = Math.sqrt(1 + xa * xa);
        double nxb = Math.sqrt(1 + xb * xb);
        double nya = Math.sqrt(1 + ya * ya);
        double nyb = Math.sqrt(1 + yb * yb);
        int np = 0;
        for (int i = 0; i < prims.length; i++) {
            double x = camSpheres[4 * i];
            double y = camSpheres[4 * i + 1];
            double z = camSpheres[4 * i + 2];
            double r = camSpheres[4 * i + 3];
            if (z < -r) {
                continue;
            }
            if (x - xb * z > r * nxb || xa * z - x > r * nxa || y - yb * z > r * nyb || ya * z - y > r * nya) {
                continue;
            }
            primary[np++] = i;
        }
        double ox = cam.x;
        double oy = cam.y;
        double oz = cam.z;
        // primary rays
        double sx = 0;
        double sy = 0;
        double sz = 0;
        int count = 0;
        for (int j = 0; j < th; j++) {
            double yn = Camera.yn(ty + j, h, fy);
            for (int i = 0; i < tw; i++) {
                double xn = Camera.xn(tx + i, w, f);
                double dx = cam.fx + xn * cam.rx + yn * cam.ux;
                double dy = cam.fy + xn * cam.ry + yn * cam.uy;
                double dz = cam.fz + xn * cam.rz + yn * cam.uz;
                double tBg = scene.room.exit(ox, oy, oz, dx, dy, dz, face);
                int bgPrim = -1 - face[0];
                double tFg = Double.POSITIVE_INFINITY;
                int fgPrim = -1;
                for (int k = 0; k < np; k++) {
                    int pi = primary[k];
                    Primitive p = prims[pi];
                    if (p.foreground) {
                        double t = p.intersect(ox, oy, oz, dx, dy, dz, tFg);
                        if (t < tFg) {
                            tFg = t;
                            fgPrim = pi;
                        }
                    } else {
                        double t = p.intersect(ox, oy, oz, dx, dy, dz, tBg);
                        if (t < tBg) {
                            tBg = t;
                            bgPrim = pi;
                        }
                    }
                }
                int q = j * TILE + i;
                tileTBg[q] = tBg;
                tileBgPrim[q] = bgPrim;
                tileTFg[q] = tFg;
                tileFgPrim[q] = fgPrim;
                double t = Math.min(tBg, tFg);
                sx += ox + t * dx;
                sy += oy + t * dy;
                sz += oz + t * dz;
                count++;
            }
        }
        // bounding sphere of this tile's hit points, for shadow caster culling
        double hx = sx / count;
        double hy = sy / count;
        double hz = sz / count;
        double hr2 = 0;
        for (int j = 0; j < th; j++) {
            double yn = Camera.yn(ty + j, h, fy);
            for (int i = 0; i < tw; i++) {
                double xn = Camera.xn(tx + i, w, f);
                int q = j * TILE + i;
                double t = Math.min(tileTBg[q], tileTFg[q]);
                double px = ox + t * (cam.fx + xn * cam.rx + yn * cam.ux) - hx;
                double py = oy + t * (cam.fy + xn * cam.ry + yn * cam.uy) - hy;
                double pz = oz + t * (cam.fz + xn * cam.rz + yn * cam.uz) - hz;
                // bg points hidden behind foreground also need shadows (bg view)
                double tb = tileTBg[q];
                double bx = ox + tb * (cam.fx + xn * cam.rx + yn * cam.ux) - hx;
                double by = oy + tb * (cam.fy + xn * cam.ry + yn * cam.uy) - hy;
                double bz = oz + tb * (cam.fz + xn * cam.rz + yn * cam.uz) - hz;
                hr2 = Math.max(hr2, Math.max(px * px + py * py + pz * pz, bx * bx + by * by + bz * bz));
            }
        }
        double hr = Math.sqrt(hr2);
        Light light = scene.light;
        double lx = light.x() - hx;
        double ly = light.y() - hy;
        double lz = light.z() - hz;
        double ll = lx * lx + ly * ly + lz * lz;
        int nbg = 0;
        int nfg = 0;
        int nbo = 0;
        int nfo = 0;
        for (int i = 0; i < prims.length; i++) {
            Primitive p = prims[i];
            // occluders for the floor's ambient occlusion: shapes near the floor whose influence (a few radii)
            // reaches the tile's points
            double ox2 = p.cx - hx;
            double oy2 = p.cy - hy;
            double oz2 = p.cz - hz;
            double reach = hr + 2.5 * p.radius;
            if (p.cy - p.radius < 0.3 && ox2 * ox2 + oy2 * oy2 + oz2 * oz2 < reach * reach) {
                if (p.foreground) {
                    fgOccluders[nfo++] = i;
                } else {
                    bgOccluders[nbo++] = i;
                }
            }
            // distance from the primitive's centre to the segment tile-centre -> light
            double qx = p.cx - hx;
            double qy = p.cy - hy;
            double qz = p.cz - hz;
            double s = (qx * lx + qy * ly + qz * lz) / ll;
            s = s < 0 ? 0 : (s > 1 ? 1 : s);
            double ex = qx - s * lx;
            double ey = qy - s * ly;
            double ez = qz - s * lz;
            double lim = p.radius + hr + light.size();
            if (ex * ex + ey * ey + ez * ez > lim * lim) {
                continue;
            }
            if (p.foreground) {
                fgCasters[nfg++] = i;
            } else {
                bgCasters[nbg++] = i;
            }
        }
        // shading
        double ls = light.size();
        for (int j = 0; j < th; j++) {
            double yn = Camera.yn(ty + j, h, fy);
            for (int i = 0; i < tw; i++) {
                double xn = Camera.xn(tx + i, w, f);
                double dx = cam.fx + xn * cam.rx + yn * cam.ux;
                double dy = cam.fy + xn * cam.ry + yn * cam.uy;
                double dz = cam.fz + xn * cam.rz + yn * cam.uz;
                int q = j * TILE + i;
                int pix = (ty + j) * w + tx + i;
                // a fixed point of the light's surface per pixel: soft shadow edges that are the same in both
                // views, so only the foreground's own shadow differs between bg and fg_bg
                int hsh = pix * 0x9E3779B1;
                hsh ^= hsh >>> 15;
                hsh *= 0x85EBCA6B;
                hsh ^= hsh >>> 13;
                double jx = ls * (((hsh & 0x3FF) / 511.5) - 1);
                double jy = ls * ((((hsh >>> 10) & 0x3FF) / 511.5) - 1);
                double jz = ls * ((((hsh >>> 20) & 0x3FF) / 511.5) - 1);
                double tBg = tileTBg[q];
                int bgPrim = tileBgPrim[q];
                double px = ox + tBg * dx;
                double py = oy + tBg * dy;
                double pz = oz + tBg * dz;
                Material m;
                if (bgPrim < 0) {
                    m = scene.room.surface(-1 - bgPrim, px, py, pz, hit);
                } else {
                    prims[bgPrim].surface(px, py, pz, hit);
                    m = prims[bgPrim].material;
                }
                m.albedo(hit.u, hit.v, albedo);
                boolean lit = light(scene, m, px, py, pz, dx, dy, dz);
                // contact darkening on the floor only: where it matters most, for a fraction of the cost
                boolean floor = bgPrim == -1 - Room.FLOOR;
                double occBg = floor && nbo > 0 ? occlusion(prims, bgOccluders, nbo, bgPrim, px, py, pz) : 0;
                double occFg = floor && nfo > 0 ? occlusion(prims, fgOccluders, nfo, -1, px, py, pz) : 0;
                double aoBg = 1 - AO_STRENGTH * Math.min(1, occBg);
                double aoBgFg = 1 - AO_STRENGTH * Math.min(1, occBg + occFg);
                boolean shadowBg = false;
                boolean shadowFg = false;
                if (lit) {
                    double sox = px + hit.nx * SHADOW_BIAS;
                    double soy = py + hit.ny * SHADOW_BIAS;
                    double soz = pz + hit.nz * SHADOW_BIAS;
                    double vx = light.x() + jx - sox;
                    double vy = light.y() + jy - soy;
                    double vz = light.z() + jz - soz;
                    shadowBg = occluded(prims, bgCasters, nbg, bgPrim, sox, soy, soz, vx, vy, vz);
                    shadowFg = nfg > 0 && !shadowBg
                            && occluded(prims, fgCasters, nfg, -1, sox, soy, soz, vx, vy, vz);
                }
                int c = 3 * pix;
                out.baseBg[c] = (float) (ambR * aoBg + emR);
                out.baseBg[c + 1] = (float) (ambG * aoBg + emG);
                out.baseBg[c + 2] = (float) (ambB * aoBg + emB);
                out.baseBgWithFg[c] = (float) (ambR * aoBgFg + emR);
                out.baseBgWithFg[c + 1] = (float) (ambG * aoBgFg + emG);
                out.baseBgWithFg[c + 2] = (float) (ambB * aoBgFg + emB);
                out.directBg[c] = (float) directR;
                out.directBg[c + 1] = (float) directG;
                out.directBg[c + 2] = (float) directB;
                out.visBg[pix] = shadowBg ? 0 : 1;
                out.visBgWithFg[pix] = (shadowBg || shadowFg) ? 0 : 1;
                out.surfaceBg[pix] = bgPrim;
                out.bgDepth[pix] = (float) tBg;
                double tFg = tileTFg[q];
                if (tFg < tBg) {
                    int fp = tileFgPrim[q];
                    Primitive p = prims[fp];
                    px = ox + tFg * dx;
                    py = oy + tFg * dy;
                    pz = oz + tFg * dz;
                    p.surface(px, py, pz, hit);
                    p.material.albedo(hit.u, hit.v, albedo);
                    boolean shadow = false;
                    boolean fgLit = light(scene, p.material, px, py, pz, dx, dy, dz);
                    if (fgLit) {
                        double sox = px + hit.nx * SHADOW_BIAS;
                        double soy = py + hit.ny * SHADOW_BIAS;
                        double soz = pz + hit.nz * SHADOW_BIAS;
                        double vx = light.x() + jx - sox;
                        double vy = light.y() + jy - soy;
                        double vz = light.z() + jz - soz;
                        shadow = occluded(prims, bgCasters, nbg, -1, sox, soy, soz, vx, vy, vz)
                                || occluded(prims, fgCasters, nfg, fp, sox, soy, soz, vx, vy, vz);
                    }
                    out.baseFg[c] = (float) (ambR + emR);
                    out.baseFg[c + 1] = (float) (ambG + emG);
                    out.baseFg[c + 2] = (float) (ambB + emB);
                    out.directFg[c] = (float) directR;
                    out.directFg[c + 1] = (float) directG;
                    out.directFg[c + 2] = (float) directB;
                    out.visFg[pix] = shadow ? 0 : 1;
                    out.depth[pix] = (float) tFg;
                    out.fgObject[pix] = p.objectId;
                    out.surfaceFg[pix] = fp;
                } else {
                    out.depth[pix] = (float) tBg;
                    out.fgObject[pix] = -1;
                }
            }
        }
    }

    // Result of light(): ambient + fill (subject to ambient occlusion), emission, and the main light's part.
    private double ambR;
    private double ambG;
    private double ambB;
    private double emR;
    private double emG;
    private double emB;
    private double directR;
    private double directG;
    private double directB;

    /**
     * Shades the surface in {@link #hit} with albedo {@link #albedo} at point p seen along ray direction d:
     * sets amb* (ambient and fill light), em* (emission) and direct* (main light, diffuse + specular). Returns
     * true if
     * the main light reaches the surface's front side (so a shadow ray is needed).
     */
    private boolean light(Scene scene, Material m, double px, double py, double pz, double dx, double dy,
                          double dz) {
        Light light = scene.light;
        FillLight fill = scene.fill;
        double nx = hit.nx;
        double ny = hit.ny;
        double nz = hit.nz;
        double hemi = 0.8 + 0.2 * ny;
        double fd = nx * fill.x() + ny * fill.y() + nz * fill.z();
        fd = fd > 0 ? fd : 0;
        double e = m.emission();
        ambR = albedo[0] * (light.ambientR() * hemi + fill.r() * fd);
        ambG = albedo[1] * (light.ambientG() * hemi + fill.g() * fd);
        ambB = albedo[2] * (light.ambientB() * hemi + fill.b() * fd);
        emR = albedo[0] * e;
        emG = albedo[1] * e;
        emB = albedo[2] * e;
        double vx = light.x() - px;
        double vy = light.y() - py;
        double vz = light.z() - pz;
        double d2 = vx * vx + vy * vy + vz * vz;
        double invLen = 1 / Math.sqrt(d2);
        double ndotl = (nx * vx + ny * vy + nz * vz) * invLen;
        if (ndotl <= 0) {
            directR = 0;
            directG = 0;
            directB = 0;
            return false;
        }
        double reach2 = light.reach() * light.reach();
        double falloff = 2 * reach2 / (reach2 + d2);
        double diffuse = ndotl * falloff;
        double spec = 0;
        if (m.gloss() > 0) {
            // Blinn-Phong, exponent 32
            double invD = 1 / Math.sqrt(dx * dx + dy * dy + dz * dz);
            double hx = vx * invLen - dx * invD;
            double hy = vy * invLen - dy * invD;
            double hz = vz * invLen - dz * invD;
            double nh = (nx * hx + ny * hy + nz * hz) / Math.sqrt(hx * hx + hy * hy + hz * hz);
            if (nh > 0) {
                nh *= nh;
                nh *= nh;
                nh *= nh;
                nh *= nh;
                nh *= nh;
                spec = m.gloss() * nh * falloff;
            }
        }
        directR = (albedo[0] * diffuse + spec) * light.r();
        directG = (albedo[1] * diffuse + spec) * light.g();
        directB = (albedo[2] * diffuse + spec) * light.b();
        return true;
    }

    /**
     * Summed ambient occlusion at p (normal in {@link #hit}) from the listed shapes other than {@code self}.
     * Used for floor points; objects themselves get no ambient occlusion (cost).
     */
    private double occlusion(Primitive[] prims, int[] occluders, int n, int self, double px, double py,
                             double pz) {
        double sum = 0;
        double nx = hit.nx;
        double ny = hit.ny;
        double nz = hit.nz;
        for (int k = 0; k < n; k++) {
            int pi = occluders[k];
            if (pi == self) {
                continue;
            }
            Primitive p = prims[pi];
            double vx = p.cx - px;
            double vy = p.cy - py;
            double vz = p.cz - pz;
            double lim = 2.5 * p.radius;
            if (vx * vx + vy * vy + vz * vz > lim * lim) {
                continue;
            }
            sum += p.occlusion(px, py, pz, nx, ny, nz);
        }
        return sum;
    }

    /** True if any listed caster (other than {@code self}) blocks the segment o -> o + v. */
    private static boolean occluded(Primitive[] prims, int[] casters, int n, int self,
                                    double ox, double oy, double oz, double vx, double vy, double vz) {
        for (int k = 0; k < n; k++) {
            int pi = casters[k];
            if (pi == self) {
                continue;
            }
            if (prims[pi].intersect(ox, oy, oz, vx, vy, vz, 1.0) < 1.0) {
                return true;
            }
        }
        return false;
    }
}
