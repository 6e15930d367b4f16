package io.mdeas.model.data;

/**
 * How a rendered view becomes an 8-bit image, and what differs between bg and fg_bg.
 *
 * @param exposure overall gain applied to both views
 * @param gainR extra gain of fg_bg, red (global brightness / white-balance change; 1 = none)
 * @param gainG extra gain of fg_bg, green
 * @param gainB extra gain of fg_bg, blue
 * @param noiseSigma sensor noise, standard deviation in 8-bit levels (independent per view)
 * @param blur whether both views get a slight 3x3 blur
 * @param jpegQuality JPEG round-trip quality 1..100 applied to both views, 0 = none
 * @param jitterX fg_bg camera shift in whole pixels, x
 * @param jitterY fg_bg camera shift in whole pixels, y
 * @param noiseSeed seed of the noise of this sample
 * @param vignette darkening towards the corners (0 = none, 0.4 = corners at 60 %)
 * @param autoExposure whether exposure is relative to the auto-exposure of the bg view (mean linear level
 *     0.18) rather than absolute
 */
public record SensorSettings(double exposure, double gainR, double gainG, double gainB, double noiseSigma,
                             boolean blur, int jpegQuality, int jitterX, int jitterY, long noiseSeed,
                             double vignette, boolean autoExposure) {

    /** The same settings with an absolute exposure. */
    public SensorSettings withExposure(double e) {
        return new SensorSettings(e, gainR, gainG, gainB, noiseSigma, blur, jpegQuality, jitterX, jitterY,
                noiseSeed, vignette, false);
    }

    public boolean globalChange() {
        return gainR != 1 || gainG != 1 || gainB != 1;
    }
}
