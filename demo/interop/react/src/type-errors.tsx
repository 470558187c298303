// Never rendered: tsc must reject each marked line, or the generated types are too loose.
export const rejected = (
  <>
    {/* @ts-expect-error transport is 'websocket' | 'webrtc' */}
    <prepatu-session transport="carrier-pigeon"></prepatu-session>
    {/* @ts-expect-error an artifact is an object, not a number */}
    <prepatu-artifact artifact={42}></prepatu-artifact>
    {/* @ts-expect-error the status event's detail has no `frequency` */}
    <prepatu-session onprepatu-status={(e) => e.detail.frequency}></prepatu-session>
  </>
);
