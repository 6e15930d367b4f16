package io.mdeas.model.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetIndexTest {

    @TempDir
    Path dir;

    @Test
    void readsColumnsInAnyOrderAndIgnoresExtras() throws IOException {
        Files.writeString(dir.resolve("index.csv"),
                "\uFEFFmask,extra,fg_bg,id,depth,bg,nearest_fg_m,hfov_deg\r\n"
                        + "mask/a.png,x,fg_bg/a.png,a,depth/a.png,bg/0.png,2.5,70\r\n"
                        + "\"mask/b,1.png\",y,fg_bg/b.png,b,,bg/0.png,,\n");
        Files.writeString(dir.resolve("camera.json"), "{\"width\":224,\"hfov_deg\":[60,80]}");
        DatasetIndex index = DatasetIndex.open(dir);
        assertEquals(2, index.size());
        Sample a = index.samples().get(0);
        assertEquals("a", a.id());
        assertEquals(dir.toAbsolutePath().normalize().resolve("bg/0.png"), a.bg());
        assertEquals(dir.toAbsolutePath().normalize().resolve("depth/a.png"), a.depth());
        assertEquals(2.5, a.nearestFgM());
        assertEquals(70.0, a.hfovDeg());
        assertNull(a.cameraHeightM());
        Sample b = index.samples().get(1);
        assertTrue(b.mask().endsWith("b,1.png"));
        assertNull(b.depth());
        assertNull(b.nearestFgM());
        assertEquals(224, index.camera().orElseThrow().get("width").asInt());
    }

    @Test
    void badInputNamesFileLineAndColumn() throws IOException {
        Files.writeString(dir.resolve("index.csv"), "id,bg,fg_bg,mask,nearest_fg_m\na,b.png,f.png,m.png,far\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DatasetIndex.open(dir));
        assertTrue(e.getMessage().contains("index.csv: line 2, column 'nearest_fg_m'"), e.getMessage());

        Files.writeString(dir.resolve("index.csv"), "id,bg,fg_bg\na,b.png,f.png\n");
        e = assertThrows(IllegalArgumentException.class, () -> DatasetIndex.open(dir));
        assertTrue(e.getMessage().contains("lacks required column 'mask'"), e.getMessage());

        Files.writeString(dir.resolve("index.csv"), "id,bg,fg_bg,mask\na,b.png,f.png,m.png\na,b.png,f.png,m.png\n");
        e = assertThrows(IllegalArgumentException.class, () -> DatasetIndex.open(dir));
        assertTrue(e.getMessage().contains("line 3, column 'id': duplicate id 'a'"), e.getMessage());

        Files.writeString(dir.resolve("index.csv"), "id,bg,fg_bg,mask\na,,f.png,m.png\n");
        e = assertThrows(IllegalArgumentException.class, () -> DatasetIndex.open(dir));
        assertTrue(e.getMessage().contains("line 2, column 'bg': value is empty"), e.getMessage());

        assertThrows(NoSuchFileException.class, () -> DatasetIndex.open(dir.resolve("missing")));
    }
}
