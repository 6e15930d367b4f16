package io.mdeas.model.data;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes a dataset in the layout of DATASET.md: {@code index.csv}, {@code camera.json} and the folders
 * {@code bg/ fg_bg/ mask/ depth/}. Rows may be finished by several threads in any order; they are written to
 * index.csv in id order as soon as all earlier ones are done, so a partial run still leaves a valid index.
 */
public final class DatasetWriter implements AutoCloseable {
    /**
     * Version of the generator, cited by the model card and written to camera.json. 1.0: geometry, textures,
     * hard shadows, sensor effects. 1.1: soft shadows, gloss, fill light, wall decor and windows, background
     * clutter of foreground-like objects, auto exposure, vignette, people with knees and hair. 1.2: contact
     * darkening (ambient occlusion) on the floor, separable shadow smoothing.
     */
    public static final String GENERATOR_VERSION = "1.2";

    /** index.csv header; the first five columns are the ones DATASET.md requires. */
    public static final String HEADER = "id,bg,fg_bg,mask,depth,nearest_fg_m,camera_height_m,pitch_deg,hfov_deg,"
            + "kind,fg_objects,fg_pixels,global_change,jitter_x,jitter_y,seed";

    private final Path root;
    private final BufferedWriter index;
    private final String[] pending;
    private int nextToWrite;

    /**
     * Creates the folders and starts index.csv.
     *
     * @param count number of rows that will be written
     */
    public DatasetWriter(Path root, int count) throws IOException {
        this.root = root;
        for (String dir : new String[] {"bg", "fg_bg", "mask", "depth"}) {
            Files.createDirectories(root.resolve(dir));
        }
        this.index = Files.newBufferedWriter(root.resolve("index.csv"), StandardCharsets.UTF_8);
        index.write(HEADER);
        index.write('\n');
        this.pending = new String[count];
    }

    /** Writes camera.json describing how the set was made. */
    public void writeCameraJson(int size, long seed, String split, int count, MountRange mounts) throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("width", size);
        json.put("height", size);
        json.put("hfov_deg", new double[] {mounts.minHfovDeg(), mounts.maxHfovDeg()});
        json.put("camera_height_m", new double[] {mounts.minHeightM(), mounts.maxHeightM()});
        json.put("pitch_deg", new double[] {mounts.minPitchDeg(), mounts.maxPitchDeg()});
        if (mounts.sensorAspect() != 1) {
            json.put("sensor_aspect", mounts.sensorAspect()); // width / height of the camera, squashed to square
        }
        json.put("depth_unit", "mm");
        json.put("depth_along", "optical_axis_z");
        json.put("max_depth_m", 65.535);
        json.put("foreground_distance_m", new double[] {SceneSampler.MIN_FG_DISTANCE, SceneSampler.MAX_FG_DISTANCE});
        json.put("generator", "mdeas procedural indoor ray caster");
        json.put("generator_version", GENERATOR_VERSION);
        json.put("seed", seed);
        json.put("split", split);
        json.put("count", count);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .writeValue(root.resolve("camera.json").toFile(), json);
    }

    /** The relative path of image {@code id} in folder {@code dir}. */
    public static String relative(String dir, String id) {
        return dir + "/" + id + ".png";
    }

    /** Records row {@code i} and writes every finished row that is next in id order. */
    public synchronized void row(int i, String csvLine) throws IOException {
        pending[i] = csvLine;
        while (nextToWrite < pending.length && pending[nextToWrite] != null) {
            index.write(pending[nextToWrite]);
            index.write('\n');
            pending[nextToWrite] = null;
            nextToWrite++;
        }
    }

    public Path root() {
        return root;
    }

    @Override
    public synchronized void close() throws IOException {
        index.close();
    }
}
