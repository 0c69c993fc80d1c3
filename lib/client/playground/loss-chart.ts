// The loss curve: the mean loss after each epoch, from epoch 0.
import { hiDpiCanvas } from "./dom.js";

export interface LossChart {
  canvas: HTMLCanvasElement;
  /** Draws losses[e], the mean loss after e epochs. */
  draw(losses: readonly number[]): void;
}

/** A loss chart of `width` × `height` CSS pixels. */
export function lossChart(width: number, height: number): LossChart {
  const [canvas, ctx] = hiDpiCanvas(width, height, "cwpg-loss");
  canvas.setAttribute("data-view", "loss");
  const pad = { left: 36, right: 8, top: 8, bottom: 22 };
  const w = width - pad.left - pad.right;
  const h = height - pad.top - pad.bottom;

  function draw(losses: readonly number[]): void {
    ctx.clearRect(0, 0, width, height);
    // the y axis runs from 0 to the starting loss, or higher if the recent losses are higher (brief spikes are clipped)
    let top = Math.max(0.1, 1.05 * (losses[0] ?? 0));
    for (const v of losses.slice(-50)) if (Number.isFinite(v) && v > top) top = v;
    const lastEpoch = Math.max(10, losses.length - 1);
    ctx.font = "11px system-ui, sans-serif";
    ctx.fillStyle = "#666";
    ctx.strokeStyle = "#ddd";
    ctx.lineWidth = 1;
    ctx.textBaseline = "middle";
    ctx.textAlign = "right";
    for (const f of [0, 0.5, 1]) {
      const y = pad.top + h - f * h;
      ctx.beginPath();
      ctx.moveTo(pad.left, y);
      ctx.lineTo(pad.left + w, y);
      ctx.stroke();
      const v = f * top;
      ctx.fillText(v === 0 ? "0" : top < 10 ? v.toFixed(2) : top < 1000 ? v.toFixed(0) : v.toExponential(0).replace("e+", "e"), pad.left - 4, y);
    }
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    ctx.fillText("0", pad.left, pad.top + h + 5);
    ctx.fillText(`epoch ${lastEpoch}`, pad.left + w - 24, pad.top + h + 5);
    if (losses.length === 0) return;
    ctx.save();
    ctx.beginPath();
    ctx.rect(pad.left, pad.top, w, h);
    ctx.clip();
    ctx.beginPath();
    const yOf = (v: number) => pad.top + h - (Math.min(Number.isFinite(v) ? v : top, top) / top) * h;
    // at most about one point per pixel
    const stride = Math.max(1, Math.floor(losses.length / w));
    for (let e = 0; e < losses.length; e += stride) {
      const x = pad.left + (e / lastEpoch) * w;
      if (e === 0) ctx.moveTo(x, yOf(losses[e]!));
      else ctx.lineTo(x, yOf(losses[e]!));
    }
    const lastE = losses.length - 1;
    ctx.lineTo(pad.left + (lastE / lastEpoch) * w, yOf(losses[lastE]!));
    ctx.strokeStyle = "#c2410c";
    ctx.lineWidth = 1.5;
    ctx.stroke();
    ctx.restore();
  }
  return { canvas, draw };
}
