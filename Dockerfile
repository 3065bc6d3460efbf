# syntax=docker/dockerfile:1
# loopguard in a container, from the distribution `./loopguard dist` builds (cli/dist/build.sh):
# its own Java runtime made with jlink, so the image has no JDK.
#
#   docker build -t loopguard .
#   docker run --rm -v "$PWD:/src" loopguard                      # scan the current folder
#   docker run --rm -v "$PWD:/src" loopguard review --base origin/main
#   docker run --rm -u "$(id -u):$(id -g)" -v "$PWD:/src" loopguard scan --format sarif -o loopguard.sarif .

# Build: Maven and a JDK with its jmods (jlink needs them; Temurin's JDK images have them).
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /build
COPY . .
# The build runs the tests' fixtures once as a training scan (the class list and the knowledge
# snapshot); the tests themselves run in CI, not here.
RUN --mount=type=cache,target=/root/.m2 ./loopguard dist --output /build/out \
    && rm /build/out/*.tar.gz \
    && mv /build/out/loopguard-* /opt/loopguard

# Run: a slim Debian with the distribution in /opt/loopguard. Temurin's runtime is built for
# glibc 2.35 (Ubuntu 22.04); Debian 12 has 2.36.
FROM debian:bookworm-slim
COPY --from=build /opt/loopguard /opt/loopguard
# The class-data archive names the jar by its absolute path, so it is made here, at its final
# place, by a first run; the image's later runs start with it.
RUN ln -s /opt/loopguard/bin/loopguard /usr/local/bin/loopguard \
    && loopguard --version \
    && test -s /opt/loopguard/lib/loopguard.jsa
WORKDIR /src
ENTRYPOINT ["loopguard"]
CMD ["scan", "."]
