// Downloads: tables as CSV that Excel opens correctly in a Finnish locale
// (UTF-8 byte order mark, ";" between fields, decimal comma), charts as SVG
// or PNG.

export type CsvCell = string | number | null | undefined;

function csvField(cell: CsvCell): string {
  if (cell === null || cell === undefined) return "";
  if (typeof cell === "number") {
    if (!Number.isFinite(cell)) return "";
    return String(cell).replace(".", ",");
  }
  if (/[;"\r\n]/.test(cell) || /^\s|\s$/.test(cell)) return `"${cell.replace(/"/g, '""')}"`;
  return cell;
}

export function toCsv(header: string[], rows: CsvCell[][]): string {
  const lines = [header.map(csvField).join(";"), ...rows.map((r) => r.map(csvField).join(";"))];
  return "\uFEFF" + lines.join("\r\n") + "\r\n";
}

export function download(filename: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function downloadCsv(filename: string, header: string[], rows: CsvCell[][]): void {
  download(filename, new Blob([toCsv(header, rows)], { type: "text/csv;charset=utf-8" }));
}

export function svgText(svg: SVGSVGElement): string {
  const clone = svg.cloneNode(true) as SVGSVGElement;
  clone.setAttribute("xmlns", "http://www.w3.org/2000/svg");
  // Inline the computed font so the file renders alike elsewhere.
  clone.setAttribute("font-family", "'Source Sans 3', 'Helvetica Neue', Arial, sans-serif");
  return '<?xml version="1.0" encoding="UTF-8"?>\n' + new XMLSerializer().serializeToString(clone);
}

export function downloadSvg(filename: string, svg: SVGSVGElement): void {
  download(filename, new Blob([svgText(svg)], { type: "image/svg+xml" }));
}

export async function downloadPng(filename: string, svg: SVGSVGElement): Promise<void> {
  const box = svg.viewBox.baseVal;
  const width = box && box.width ? box.width : svg.clientWidth;
  const height = box && box.height ? box.height : svg.clientHeight;
  const scale = 2;
  const image = new Image();
  const url = URL.createObjectURL(new Blob([svgText(svg)], { type: "image/svg+xml" }));
  try {
    await new Promise<void>((resolve, reject) => {
      image.onload = () => resolve();
      image.onerror = () => reject(new Error("SVG image did not load"));
      image.src = url;
    });
    const canvas = document.createElement("canvas");
    canvas.width = Math.round(width * scale);
    canvas.height = Math.round(height * scale);
    const ctx = canvas.getContext("2d");
    if (!ctx) throw new Error("no canvas");
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(image, 0, 0, canvas.width, canvas.height);
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, "image/png"));
    if (blob) download(filename, blob);
  } finally {
    URL.revokeObjectURL(url);
  }
}
