// Applies the saved color mode before the app loads, so dark-mode users never see a light flash.
// Same storage key and class names as next-themes, which takes over once React runs. A file rather
// than an inline script because the server's Content-Security-Policy allows only same-origin scripts.
try {
  const saved = localStorage.getItem('theme');
  const dark = saved === 'dark' || (saved !== 'light' && matchMedia('(prefers-color-scheme: dark)').matches);
  document.documentElement.classList.add(dark ? 'dark' : 'light');
  document.documentElement.style.colorScheme = dark ? 'dark' : 'light';
} catch {}
