# flowproof in a container: the binary, the Z3 runtime library and the shipped policies,
# on Debian bookworm. docs/container.md says how to build and use it.
#
#   docker build -t flowproof .
#   docker run --rm flowproof verify /usr/share/flowproof/policies/tutorial
#   docker run --rm -v "$PWD:/policies" --user "$(id -u):$(id -g)" flowproof verify my-policy/
#
# Build arguments:
#   RUST_VERSION  the tag of the official Rust image to build with, before -slim-bookworm
#                 (default 1: the newest 1.x; flowproof needs 1.88 or later)
#   SOURCE_URL    where the source lives, for the org.opencontainers.image.source label

ARG RUST_VERSION=1

# ---- build: compile flowproof against Debian's libz3 --------------------------------------
FROM rust:${RUST_VERSION}-slim-bookworm AS build

# libz3-dev: the Z3 library the z3 crate links, pkg-config finds it; g++: the C++ standard
# library to link with (Z3 is C++; the slim Rust image has only the C compiler)
RUN apt-get update \
 && apt-get install -y --no-install-recommends libz3-dev pkg-config g++ \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /src

COPY . .
RUN cargo build --release --locked \
 && install -D -m 0755 target/release/flowproof /out/flowproof

# ---- runtime: the binary, libz3 and the policies ------------------------------------------
FROM debian:bookworm-slim AS runtime

ARG SOURCE_URL=""
LABEL org.opencontainers.image.title="flowproof" \
      org.opencontainers.image.description="Prove or refute claims about who can send what to whom, from an information-flow policy file" \
      org.opencontainers.image.licenses="MIT OR Apache-2.0" \
      org.opencontainers.image.source="${SOURCE_URL}"

# libz3-4: the Z3 solver library the binary is linked against (it brings libstdc++)
RUN apt-get update \
 && apt-get install -y --no-install-recommends libz3-4 \
 && apt-get clean \
 && rm -rf /var/lib/apt/lists/*

# flowproof runs as an unprivileged user. /policies is where a policy directory is
# mounted: with a bind mount the host's permissions decide who may write there (run with
# --user "$(id -u):$(id -g)" to write as yourself); without one, Docker makes a fresh
# volume from this directory, which anyone may write to (like /tmp).
RUN groupadd --gid 10001 flowproof \
 && useradd --uid 10001 --gid 10001 --no-create-home --home-dir /policies \
        --shell /usr/sbin/nologin flowproof \
 && install -d -m 1777 -o flowproof -g flowproof /policies

COPY --from=build /out/flowproof /usr/local/bin/flowproof
COPY policies/ /usr/share/flowproof/policies/

USER 10001:10001
WORKDIR /policies
VOLUME ["/policies"]

ENTRYPOINT ["flowproof"]
CMD ["--help"]
