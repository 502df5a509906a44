FROM registry.access.redhat.com/ubi8/ubi-minimal:8.3
RUN --mount=type=cache,target=/var/cache/yum,sharing=locked \
    microdnf --refresh install -y tar
