package io.mdeas.model.data;

/** What changes between bg and fg_bg in one sample. */
public enum SampleKind {
    /** One to three foreground objects (some may end up hidden or outside the view). */
    FOREGROUND,
    /** No foreground object; lighting, noise or jitter may still differ. */
    NO_FOREGROUND,
    /** fg_bg is the bg image itself, byte for byte. */
    UNCHANGED;

    /** Lower-case name for index.csv. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
