#!/bin/bash
# build-onnxruntime-java.sh — builds ONNX Runtime's Java binding with the CUDA and TensorRT execution
# providers ON a Jetson (aarch64, JetPack 6.1/6.2) and installs the jar into the local Maven repository as
#   com.microsoft.onnxruntime:onnxruntime_gpu:<ORT_VERSION>-jetson
# which `mvn -Pjetson` builds the perception node against. See README.md beside this script.
#
#   ./build-onnxruntime-java.sh                 # ORT_VERSION=1.23.2, source in ~/src/onnxruntime
#   ORT_VERSION=1.22.0 PARALLEL=2 ./build-onnxruntime-java.sh
#
# Takes hours on an Orin Nano (--parallel 1 keeps the nvcc jobs inside 8 GB; add swap anyway).
set -euo pipefail

ORT_VERSION=${ORT_VERSION:-1.23.2}
SRC=${SRC:-$HOME/src/onnxruntime}
PARALLEL=${PARALLEL:-1}
CUDA_HOME=${CUDA_HOME:-/usr/local/cuda}
# JetPack installs cuDNN and TensorRT from Debian packages: libraries in the multiarch dir, headers in /usr/include.
CUDNN_HOME=${CUDNN_HOME:-/usr/lib/aarch64-linux-gnu}
TENSORRT_HOME=${TENSORRT_HOME:-/usr/lib/aarch64-linux-gnu}
# Orin is sm_87 (Xavier: 72). Building for one architecture saves hours and memory.
CUDA_ARCH=${CUDA_ARCH:-87}
CONFIG=Release
MAVEN_VERSION=$ORT_VERSION-jetson

die() { echo "build-onnxruntime-java.sh: $*" >&2; exit 1; }

# --- checks -----------------------------------------------------------------------------------------
[ "$(uname -m)" = aarch64 ] || die "run this on the Jetson (aarch64), not on $(uname -m)"
[ -r /etc/nv_tegra_release ] || echo "warning: /etc/nv_tegra_release not found: is this a Jetson with JetPack?" >&2
[ -x "$CUDA_HOME/bin/nvcc" ] || die "no nvcc in $CUDA_HOME/bin: install JetPack's CUDA (sudo apt install nvidia-jetpack) or set CUDA_HOME"
ls "$CUDNN_HOME"/libcudnn.so* >/dev/null 2>&1 || die "no libcudnn in $CUDNN_HOME: sudo apt install libcudnn9-dev-cuda-12 (JetPack 6) or set CUDNN_HOME"
ls "$TENSORRT_HOME"/libnvinfer.so* >/dev/null 2>&1 || die "no libnvinfer in $TENSORRT_HOME: sudo apt install libnvinfer-dev libnvonnxparsers-dev or set TENSORRT_HOME"
command -v javac >/dev/null || die "no JDK: sudo apt install openjdk-17-jdk-headless"
command -v mvn >/dev/null || die "no Maven: sudo apt install maven"
command -v git >/dev/null || die "no git: sudo apt install git"
cmake_version=$(cmake --version 2>/dev/null | sed -n 's/^cmake version \([0-9.]*\).*/\1/p')
if [ -z "$cmake_version" ] || [ "$(printf '%s\n3.28\n' "$cmake_version" | sort -V | head -n 1)" != 3.28 ]; then
    die "ONNX Runtime needs CMake >= 3.28 (have '${cmake_version:-none}'): python3 -m pip install --user 'cmake>=3.28' and put ~/.local/bin first on PATH"
fi
mem_kb=$(awk '/MemTotal/ {print $2}' /proc/meminfo)
swap_kb=$(awk '/SwapTotal/ {print $2}' /proc/meminfo)
if [ $(( (mem_kb + swap_kb) / 1024 / 1024 )) -lt 12 ]; then
    echo "warning: RAM + swap is under 12 GB; nvcc may be killed. Add swap: sudo fallocate -l 8G /swapfile && sudo chmod 600 /swapfile && sudo mkswap /swapfile && sudo swapon /swapfile" >&2
fi

# --- source -----------------------------------------------------------------------------------------
if [ ! -d "$SRC/.git" ]; then
    git clone --recursive --branch "v$ORT_VERSION" --depth 1 https://github.com/microsoft/onnxruntime.git "$SRC"
else
    git -C "$SRC" fetch --depth 1 origin tag "v$ORT_VERSION"
    git -C "$SRC" checkout "v$ORT_VERSION"
    git -C "$SRC" submodule update --init --recursive
fi

# --- build ------------------------------------------------------------------------------------------
export PATH=$CUDA_HOME/bin:$PATH
export CUDACXX=$CUDA_HOME/bin/nvcc
cd "$SRC"
./build.sh --config "$CONFIG" --update --build --parallel "$PARALLEL" \
    --build_shared_lib --build_java \
    --use_cuda --cuda_home "$CUDA_HOME" --cudnn_home "$CUDNN_HOME" \
    --use_tensorrt --tensorrt_home "$TENSORRT_HOME" \
    --skip_tests --compile_no_warning_as_error \
    --cmake_extra_defines "CMAKE_CUDA_ARCHITECTURES=$CUDA_ARCH" onnxruntime_BUILD_UNIT_TESTS=OFF

# The Gradle step names the jar after the project (onnxruntime-<version>.jar); with CUDA its Maven
# coordinates are onnxruntime_gpu. It holds the JNI library and the CUDA/TensorRT provider libraries.
jar=$(find "build/Linux/$CONFIG/java/build/libs" -maxdepth 1 -name "onnxruntime*-$ORT_VERSION.jar" \
      ! -name '*-sources.jar' ! -name '*-javadoc.jar' | head -n 1)
[ -n "$jar" ] || die "the build produced no Java jar under build/Linux/$CONFIG/java/build/libs"
for lib in libonnxruntime_providers_tensorrt.so libonnxruntime_providers_cuda.so libonnxruntime4j_jni.so; do
    unzip -l "$jar" | grep -q "$lib" || die "$jar lacks $lib: the build did not include the GPU providers"
done

# --- install ----------------------------------------------------------------------------------------
mvn -B -q install:install-file -Dfile="$jar" -DgroupId=com.microsoft.onnxruntime -DartifactId=onnxruntime_gpu \
    -Dversion="$MAVEN_VERSION" -Dpackaging=jar -DgeneratePom=true
echo "installed com.microsoft.onnxruntime:onnxruntime_gpu:$MAVEN_VERSION from $jar"
echo "now build the node:  mvn -Pjetson -Donnxruntime.artifact.version=$MAVEN_VERSION -pl perception-node -am package"
