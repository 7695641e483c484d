# syntax=docker/dockerfile:1
# anova-mqtt-bridge container image.
#
# Multi-arch build (docs/operations.md):
#   docker buildx build --platform linux/amd64,linux/arm64 -t anova-mqtt-bridge:latest .
#
# Stage 1 builds wheels for the bridge and every dependency; stage 2 installs
# them offline into a clean slim image, so no compiler, pip cache or source
# tree ends up in the runtime image.
ARG PYTHON_VERSION=3.12

FROM python:${PYTHON_VERSION}-slim AS builder
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY pyproject.toml README.md ./
COPY bridge ./bridge
RUN pip wheel --wheel-dir /wheels .

FROM python:${PYTHON_VERSION}-slim AS runtime
LABEL org.opencontainers.image.title="anova-mqtt-bridge" \
      org.opencontainers.image.description="Anova sous-vide cookers over MQTT and Home Assistant" \
      org.opencontainers.image.source="https://github.com/anova-mqtt-bridge/anova-mqtt-bridge" \
      org.opencontainers.image.licenses="MIT"
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    ANOVA_BRIDGE_LOG__FORMAT=json \
    ANOVA_BRIDGE_DATA_DIR=/data
# The wheels are bind-mounted rather than copied, so they never become a layer.
RUN --mount=type=bind,from=builder,source=/wheels,target=/wheels \
    pip install --no-index --find-links=/wheels anova-mqtt-bridge \
 && useradd --system --uid 10001 --user-group --no-create-home \
            --home-dir /nonexistent --shell /usr/sbin/nologin bridge \
 && mkdir -p /config /data \
 && chown root:bridge /config && chmod 0750 /config \
 && chown bridge:bridge /data && chmod 0700 /data
# Running cooks' safety context (cooks.json): a volume, so a new container
# still knows the food of a cook that runs across an upgrade or restart.
VOLUME ["/data"]
# The loader reads /config/bridge.yaml; secrets come from the environment or
# from files named by *_FILE variables (ANOVA_BRIDGE_ANOVA__TOKEN_FILE=/run/secrets/anova_token).
WORKDIR /config
USER bridge:bridge
# /healthz and /metrics listen on loopback by default, which is where the
# HEALTHCHECK asks (it runs inside the container). Set health.host: 0.0.0.0 and
# publish the port to scrape /metrics from outside. Change the port with
# ANOVA_BRIDGE_HEALTH__PORT so the HEALTHCHECK follows it.
EXPOSE 9780
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('ANOVA_BRIDGE_HEALTH__PORT', '9780'), timeout=4)"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["anova-mqtt-bridge"]
CMD ["run"]
